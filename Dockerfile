# syntax=docker/dockerfile:1
# Multi-stage build: the SPA with Node, the binary with Go, a small runtime.

FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM golang:1.26-bookworm AS server
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=frontend /src/frontend/dist/app ./frontend/dist/app
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/doska ./server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=server /out/doska /doska
ENV DOSKA_ADDR=0.0.0.0:8080
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/doska"]
