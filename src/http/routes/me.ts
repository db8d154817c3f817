import Type from 'typebox';
import { DisclosureNotice } from '../../api/disclosures.ts';
import { MyRecord } from '../../api/me.ts';
import type { AppContext } from '../../context.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { PageQuery, responses } from '../schemas.ts';

const subject = ['subject'] as const;

export function meRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/me',
    {
      config: { roles: subject },
      schema: {
        tags: ['subject'],
        summary:
          'Your own record: cases about you (their reports and evidence, never the reporter), decisions and ' +
          'appeal deadlines, sanctions, strikes, your appeals and your credit',
        response: responses({
          200: MyRecord,
        }),
      },
    },
    async (request) => {
      const id = caller(request).subject!;
      const [credit, cases, sanctions, history, active, appeals] = await Promise.all([
        ctx.creditReader.read(id),
        ctx.cases.listForSubject(id),
        ctx.sanctions.allOf(id),
        ctx.strikes.list(id),
        ctx.strikes.activeTotal(id),
        ctx.appeals.ofSubject(id),
      ]);
      const deadlines = ctx.appeals.deadlines(appeals);
      const contributions = credit.explanation.contributions.map((c) => ({
        ...c,
        appealDeadline: deadlines.ofContribution(c),
      }));
      return {
        subject: id,
        credit: { ...credit, explanation: { ...credit.explanation, contributions } },
        cases: cases.map((c) => ({ ...c, appealDeadline: deadlines.ofCase(c) })),
        sanctions: sanctions.map((s) => ({ ...s, appealDeadline: deadlines.ofSanction(s) })),
        appeals,
        strikes: { active, history },
      };
    },
  );

  app.get(
    '/v1/me/disclosures',
    {
      config: { roles: subject },
      schema: {
        tags: ['subject'],
        summary:
          'Disclosures of your identity whose gag period has ended, newest first, each with its appeal deadline while it may be appealed',
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: responses({
          200: Type.Object({
            items: Type.Array(DisclosureNotice),
            cursor: Type.Optional(Type.String()),
          }),
        }),
      },
    },
    async (request) => {
      const id = caller(request).subject!;
      const [page, appeals] = await Promise.all([
        ctx.disclosureReader.noticesFor(id, {
          cursor: request.query.cursor,
          limit: request.query.limit ?? 50,
        }),
        ctx.appeals.ofSubject(id),
      ]);
      const deadlines = ctx.appeals.deadlines(appeals);
      return { ...page, items: page.items.map((n) => ({ ...n, appealDeadline: deadlines.ofDisclosure(n) })) };
    },
  );
}
