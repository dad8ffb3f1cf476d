// GET /api/v1/explain: the live explainer's explanation of every path (explain-api-schema.ts).
import type { FastifyPluginAsync } from 'fastify';
import type { ExplainApi } from '../explain-api-schema.js';
import { ExplainApiSchema } from '../explain-api-schema.js';

/** Where the route reads the report from (the explainer fills it; the server only reads). */
export interface ExplainReportReader {
  report(): ExplainApi;
}

/** The explain API; registered only when an ExplainReportReader is given. */
export const explainApiRoutes: FastifyPluginAsync<{ explainReport: ExplainReportReader }> = async (app, { explainReport }) => {
  app.get('/api/v1/explain', { schema: { response: { 200: ExplainApiSchema } } }, async () => explainReport.report());
};
