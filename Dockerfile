# syntax=docker/dockerfile:1
# newsbot's container image: a static binary (CGO_ENABLED=0; the SQLite
# driver is pure Go) on distroless/static, running as a non-root user.
#   docker build -t newsbot .
#   docker run --rm -p 8080:8080 -e DISCORD_BOT_TOKEN=... -v newsbot:/var/lib/newsbot newsbot
# See README "Containers" (and compose.yaml for PostgreSQL and two instances).

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The same command TestDockerfileBuildsStatic (packaging_test.go) runs.
RUN CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/newsbot . \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/newsbot /usr/local/bin/newsbot
COPY --from=build --chown=65532:65532 /out/data /var/lib/newsbot
USER 65532:65532
ENV NEWSBOT_DB=/var/lib/newsbot/newsbot.db \
    NEWSBOT_HTTP_ADDR=:8080 \
    NEWSBOT_HISTORY_FILE= \
    NEWSBOT_LOG_FORMAT=json
VOLUME /var/lib/newsbot
EXPOSE 8080
# No curl in the image: the binary asks its own /healthz.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/newsbot", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/newsbot"]
CMD ["serve"]
