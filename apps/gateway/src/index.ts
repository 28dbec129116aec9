export { type BuildOptions, buildGateway, type Gateway } from "./app.ts";
export { createJwtVerifier, type JwtOptions, type TokenVerifier } from "./auth/jwt-verifier.ts";
export { type GatewayConfig, loadGatewayConfig } from "./config.ts";
export { problemFromServiceError } from "./grpc-errors.ts";
export { HttpProblem, type ProblemBody } from "./problem.ts";
export { defineRouteModule, type RouteModule, routeModules } from "./routes/index.ts";
