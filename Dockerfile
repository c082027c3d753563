# Build a static cohort binary, then run it as an unprivileged user.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/cohort ./cmd/cohort && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/cohort /usr/local/bin/cohort
# The data volume belongs to the nonroot user (uid 65532); set data_dir: /data.
COPY --from=build --chown=65532:65532 /out/data /data
# Mount the configuration at /config/cohort.yaml (or pass COHORT_CONFIG);
# secrets come from the environment through ${NAME} in the file.
ENV COHORT_CONFIG=/config/cohort.yaml
VOLUME /data
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/cohort"]
CMD ["run"]
