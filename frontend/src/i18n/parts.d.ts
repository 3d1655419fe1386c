// The two parts of a compiled language module (messages-split.ts). Their
// messages are typed through the whole module in locale.svelte.ts.
declare module '*?messages=first' {}
declare module '*?messages=app' {}
