import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * The process's Prometheus registry, served at the ops port's /metrics. Every kit component
 * and service registers its metrics here (one process = one service).
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });
