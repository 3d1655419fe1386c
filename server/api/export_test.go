package api

// OpenAPIPath lets the tests find a route's operation in the document.
var OpenAPIPath = openAPIPath
