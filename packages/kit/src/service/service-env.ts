import { z } from "zod";
import { serviceEnvShape } from "../config/config.ts";

const serviceEnvSchema = z.object(serviceEnvShape);

/** The parsed common service variables (`serviceEnvShape`). */
export type ServiceEnv = z.infer<typeof serviceEnvSchema>;
