"""Stand-in for the OpenTelemetry Collector (contrib) image's /otelcol-contrib.

Reads the collector config given with --config (YAML, several merged in order)
and serves what it names: the otlp receiver's OTLP/HTTP endpoint (POST
/v1/traces, /v1/metrics, /v1/logs, protobuf or JSON, gzip or not) and the
health_check extension. Pipelines may name the otlp receiver, the batch and
memory_limiter processors (passed through) and the debug and nop exporters;
anything else stops it with exit code 1, as an unknown component stops the real
one. The debug exporter prints one line per request with the counts the real
one prints at verbosity basic, and (unlike it) the service name and span or
metric names. gRPC (4317) is not served: it says so at start.
"""

import gzip
import json
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import yaml

SUPPORTED = {
    "receivers": {"otlp"},
    "processors": {"batch", "memory_limiter"},
    "exporters": {"debug", "nop"},
    "extensions": {"health_check"},
}
SIGNALS = {"traces", "metrics", "logs"}


def log(level, message, **fields):
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    extra = "\t" + json.dumps(fields) if fields else ""
    print(f"{stamp}\t{level}\t{message}{extra}", flush=True)


def fail(message):
    log("error", message)
    print(f"Error: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def merge(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            merged[key] = merge(base.get(key), value) if key in base else value
        return merged
    return over


def read_config(argv):
    paths = []
    args = iter(argv)
    for arg in args:
        if arg.startswith("--config="):
            paths.append(arg.split("=", 1)[1])
        elif arg in ("--config", "-c"):
            paths.append(next(args, ""))
        elif arg in ("--version", "-v"):
            print("otelcol-contrib version 0.0.0-aegis-standin")
            sys.exit(0)
    if not paths:
        fail("at least one config flag must be provided")
    config = {}
    for path in paths:
        path = path.removeprefix("file:")
        try:
            with open(path, encoding="utf-8") as handle:
                config = merge(config, yaml.safe_load(handle) or {})
        except (OSError, yaml.YAMLError) as exc:
            fail(f"cannot read the configuration {path}: {exc}")
    return config


def check(config):
    """The real collector's validation, for what the stand-in implements."""
    for kind, known in SUPPORTED.items():
        for ident in config.get(kind) or {}:
            if ident.split("/")[0] not in known:
                fail(f"'{kind}' unknown type: \"{ident.split('/')[0]}\" (the stand-in implements {sorted(known)})")
    service = config.get("service") or {}
    for ident in service.get("extensions") or []:
        if ident not in (config.get("extensions") or {}):
            fail(f"service::extensions: references extension \"{ident}\" which is not configured")
    pipelines = service.get("pipelines") or {}
    if not pipelines:
        fail("service must have at least one pipeline")
    for name, pipeline in pipelines.items():
        if name.split("/")[0] not in SIGNALS:
            fail(f"service::pipelines: unknown signal \"{name}\"")
        for kind in ("receivers", "processors", "exporters"):
            for ident in (pipeline or {}).get(kind) or []:
                if ident not in (config.get(kind) or {}):
                    fail(f"service::pipelines::{name}: references {kind[:-1]} \"{ident}\" which is not configured")
        for kind in ("receivers", "exporters"):
            if not (pipeline or {}).get(kind):
                fail(f"service::pipelines::{name}: must have at least one {kind[:-1]}")


def host_port(endpoint, default_port):
    host, _, port = (endpoint or f"localhost:{default_port}").rpartition(":")
    return host or "localhost", int(port)


# --- OTLP protobuf, just enough to count and name what arrives ---


def varint(buf, i):
    shift = value = 0
    while True:
        byte = buf[i]
        i += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, i
        shift += 7


def fields(buf):
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(buf, i)
        elif wire == 1:
            value, i = buf[i : i + 8], i + 8
        elif wire == 2:
            size, i = varint(buf, i)
            value, i = buf[i : i + size], i + size
        elif wire == 5:
            value, i = buf[i : i + 4], i + 4
        else:
            raise ValueError(f"wire type {wire}")
        yield number, value


def sub(buf, number):
    return [value for n, value in fields(buf) if n == number]


def service_name_pb(resource):
    for attribute in sub(resource, 1):
        if b"".join(sub(attribute, 1)) == b"service.name":
            for any_value in sub(attribute, 2):
                return b"".join(sub(any_value, 1)).decode()
    return ""


# Per signal: (resource list field, scope list field, item field, name field,
# JSON keys) of ExportTraceServiceRequest, ...Metrics..., ...Logs...
SHAPES = {
    "traces": ("resourceSpans", "scopeSpans", "spans", "spans"),
    "metrics": ("resourceMetrics", "scopeMetrics", "metrics", "metrics"),
    "logs": ("resourceLogs", "scopeLogs", "logRecords", "log records"),
}


def summarize_pb(signal, body):
    resources = []
    for resource_items in sub(body, 1):
        resource = b"".join(sub(resource_items, 1))
        names = []
        for scope in sub(resource_items, 2):
            for item in sub(scope, 2):
                if signal == "logs":
                    names.append("")
                else:
                    # Span.name is field 5, Metric.name field 1.
                    names.append(b"".join(sub(item, 5 if signal == "traces" else 1)).decode())
        resources.append((service_name_pb(resource), names))
    return resources


def summarize_json(signal, body):
    top, scope_key, item_key, _ = SHAPES[signal]
    resources = []
    for resource_items in body.get(top) or []:
        service = ""
        for attribute in (resource_items.get("resource") or {}).get("attributes") or []:
            if attribute.get("key") == "service.name":
                service = (attribute.get("value") or {}).get("stringValue", "")
        names = [item.get("name", "") for scope in resource_items.get(scope_key) or [] for item in scope.get(item_key) or []]
        resources.append((service, names))
    return resources


class Collector:
    def __init__(self, config):
        self.config = config
        self.started = time.time()
        service = config.get("service") or {}
        self.pipelines = service.get("pipelines") or {}

    def exporters_for(self, signal, receiver):
        found = []
        for name, pipeline in self.pipelines.items():
            if name.split("/")[0] == signal and receiver in (pipeline.get("receivers") or []):
                found += pipeline.get("exporters") or []
        return found

    def receive(self, receiver, signal, resources):
        _, _, _, label = SHAPES[signal]
        for exporter in self.exporters_for(signal, receiver):
            if exporter.split("/")[0] != "debug":
                continue
            count = sum(len(names) for _, names in resources)
            kind = {"traces": "Traces", "metrics": "Metrics", "logs": "Logs"}[signal]
            fields_ = {"resource " + label: len(resources), label: count}
            if signal != "logs":
                fields_["services"] = sorted({service for service, _ in resources})
                fields_["names"] = [name for _, names in resources for name in names]
            log("info", kind, otelcol_component_id=exporter, **fields_)


def otlp_handler(collector, receiver):
    class Handler(BaseHTTPRequestHandler):
        server_version = "otelcol-standin"

        def log_message(self, *args):
            pass

        def do_POST(self):
            signal = {"/v1/traces": "traces", "/v1/metrics": "metrics", "/v1/logs": "logs"}.get(self.path.split("?")[0])
            if signal is None:
                self.send_error(404)
                return
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            content_type = (self.headers.get("Content-Type") or "").split(";")[0]
            try:
                if content_type == "application/json":
                    resources = summarize_json(signal, json.loads(body or b"{}"))
                    answer, answer_type = b"{}", "application/json"
                elif content_type == "application/x-protobuf":
                    resources = summarize_pb(signal, body)
                    answer, answer_type = b"", "application/x-protobuf"
                else:
                    self.send_error(415, f"unsupported content type {content_type}")
                    return
            except (ValueError, IndexError, UnicodeDecodeError) as exc:
                self.send_error(400, f"cannot decode the request: {exc}")
                return
            collector.receive(receiver, signal, resources)
            self.send_response(200)
            self.send_header("Content-Type", answer_type)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    return Handler


def health_handler(collector, path):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path.split("?")[0] != path:
                self.send_error(404)
                return
            up = datetime.fromtimestamp(collector.started, UTC).isoformat()
            uptime = f"{time.time() - collector.started:.3f}s"
            body = json.dumps({"status": "Server available", "upSince": up, "uptime": uptime}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(address, handler, what):
    try:
        server = ThreadingHTTPServer(address, handler)
    except OSError as exc:
        fail(f"cannot start {what} on {address[0]}:{address[1]}: {exc}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log("info", f"Starting {what}", endpoint=f"{address[0]}:{address[1]}")


def main():
    config = read_config(sys.argv[1:])
    check(config)
    collector = Collector(config)
    service = config.get("service") or {}
    used = {ident for pipeline in collector.pipelines.values() for ident in pipeline.get("receivers") or []}
    for ident in sorted(used):
        protocols = ((config.get("receivers") or {}).get(ident) or {}).get("protocols") or {}
        if "grpc" in protocols:
            log("warn", "the stand-in does not serve OTLP/gRPC", otelcol_component_id=ident)
        if "http" in protocols:
            http = protocols.get("http") or {}
            serve(host_port(http.get("endpoint"), 4318), otlp_handler(collector, ident), f"HTTP server ({ident})")
    for ident in service.get("extensions") or []:
        settings = (config.get("extensions") or {}).get(ident) or {}
        serve(host_port(settings.get("endpoint"), 13133), health_handler(collector, settings.get("path") or "/"), f"health check extension ({ident})")
    stop = threading.Event()
    # As the real one: SIGTERM (docker stop) and SIGINT shut it down, exit code 0.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    log("info", "Everything is ready. Begin running and processing data.")
    stop.wait()
    log("info", "Shutdown complete.")


if __name__ == "__main__":
    main()
