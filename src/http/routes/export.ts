import Type from 'typebox';
import { SignedExport } from '../../api/export.ts';
import type { AppContext } from '../../context.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { RateLimiter } from '../rate-limit.ts';
import { responses } from '../schemas.ts';

/** The person's export: everything mdis holds about it, signed by mdis (issue 15 item 2). */
export function exportRoutes(app: Api, ctx: AppContext): void {
  // Per person (its digital ID, whichever token or session asks), on top of the per-principal
  // limit every route has: an export reads the whole record and signs it. On mdis's clock, so that
  // a test with a frozen clock sees the limit as it is.
  const perPerson = new RateLimiter(ctx.config.exportRateLimit);
  app.get(
    '/v1/me/export',
    {
      config: { roles: ['subject'] },
      schema: {
        tags: ['subject'],
        summary:
          'Everything mdis holds about you, in one JSON bundle signed by mdis: your profile and its history, ' +
          'avatars, cases with their evidence (never a reporter), decisions, sanctions, strikes, credit, ' +
          'disclosures after their gag, who read or checked you, your appeals and the log',
        description:
          '`jws` is a compact JWS (typ mdis-export+jwt, EdDSA) whose payload is `bundle`: verify it with the key ' +
          'of its `kid` at /.well-known/jwks.json and read the verified payload (docs/rights.md, “Export”). ' +
          'Logged as export.downloaded. 429 rate_limited beyond a few exports an hour per person; 413 ' +
          'export_too_large when one list holds more rows than one bundle may.',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: responses({ 200: SignedExport }),
      },
    },
    async (request, reply) => {
      const principal = caller(request);
      perPerson.take(principal.subject!, ctx.now().getTime());
      const signed = await ctx.exports.export(principal);
      const day = signed.bundle.generatedAt.slice(0, 10);
      return reply
        .header('content-disposition', `attachment; filename="mdis-export-${signed.bundle.sub}-${day}.json"`)
        .send(signed);
    },
  );
}
