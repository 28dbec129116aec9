import { context, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { FastifyInstance, FastifyRequest } from "fastify";

const tracer = trace.getTracer("@toko/gateway");
const spans = new WeakMap<FastifyRequest, Span>();

/**
 * A server span per request, the root of its trace: every gRPC call the handler makes carries
 * it (the kit's client injects the active context), and so do the events those services
 * publish. A client's own `traceparent` is not continued: the edge starts the trace, so no
 * caller can join its requests to someone else's trace. Installed only when spans are exported.
 */
export function installTracing(app: FastifyInstance): void {
  app.addHook("onRequest", (request, _reply, done) => {
    const route = request.routeOptions.url;
    const span = tracer.startSpan(
      `${request.method} ${route ?? "unmatched"}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": request.method,
          ...(route ? { "http.route": route } : {}),
          "toko.request_id": request.id,
        },
      },
      context.active(),
    );
    spans.set(request, span);
    done();
  });
  // After the body is read: the handler (and the hooks before it) run inside the span, so the
  // context follows their awaits into every upstream call.
  app.addHook("preHandler", (request, _reply, done) => {
    const span = spans.get(request);
    if (!span) return done();
    context.with(trace.setSpan(context.active(), span), done);
  });
  const end = (request: FastifyRequest, status: number | undefined): void => {
    const span = spans.get(request);
    if (!span) return;
    spans.delete(request);
    if (status !== undefined) {
      span.setAttribute("http.response.status_code", status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  };
  app.addHook("onResponse", (request, reply, done) => {
    end(request, reply.statusCode);
    done();
  });
  app.addHook("onRequestAbort", (request, done) => {
    end(request, undefined);
    done();
  });
}
