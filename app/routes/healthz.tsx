import { checkHealth } from "../models/health.server";

// Liveness and readiness for load balancers: 200 when PostgreSQL and Redis answer, else 503.
export const loader = async () => {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
};
