import Type from 'typebox';
import { DisclosureNotice } from '../../api/disclosures.ts';
import { type AccessList, accessLists, MyAccess, MyRecord } from '../../api/me.ts';
import type { AppContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { StringEnum } from '../../util/string-enum.ts';
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
      const [credit, cases, sanctions, history, active, appeals, lockedSince, preservations] =
        await Promise.all([
          ctx.creditReader.read(id),
          ctx.cases.listForSubject(id),
          ctx.sanctions.allOf(id),
          ctx.strikes.list(id),
          ctx.strikes.activeTotal(id),
          ctx.appeals.ofSubject(id),
          ctx.locks.lockedSince(id),
          ctx.preservations.noticesFor(id),
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
        locked: lockedSince ?? null,
        preservations,
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
  myAccess(app, ctx);
}

function myAccess(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/me/access',
    {
      config: { roles: subject },
      schema: {
        tags: ['subject'],
        summary:
          'Who looked at your data: staff reads of your profile (who by role and organisation, when, why), ' +
          'eligibility checks counted per service, action and day, and disclosures whose gag has ended',
        description:
          'Each list newest first; without `list` the first page of each. A `cursor` pages the `list` it came from.',
        querystring: Type.Object(
          { list: Type.Optional(StringEnum(accessLists)), ...PageQuery },
          { additionalProperties: false },
        ),
        response: responses({ 200: MyAccess }),
      },
    },
    async (request) => {
      const id = caller(request).subject!;
      const { list, cursor } = request.query;
      if (cursor !== undefined && list === undefined) {
        throw new ValidationError('list', 'is required with a cursor: name the list it pages');
      }
      const page = { cursor, limit: request.query.limit ?? 50 };
      const wanted = (name: AccessList) => list === undefined || list === name;
      const [reads, checks, disclosures] = await Promise.all([
        wanted('reads') ? ctx.profileReads.readsOf(id, page) : undefined,
        wanted('checks') ? ctx.checkCounts.countsOf(id, page) : undefined,
        wanted('disclosures') ? ctx.disclosureReader.noticesFor(id, page) : undefined,
      ]);
      return { reads, checks, disclosures };
    },
  );
}
