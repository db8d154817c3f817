import Type from 'typebox';
import { LogOpening, MyLogEntry } from '../../api/log.ts';
import type { AppContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { maxOpeningEntries } from '../../ledger/log-openings.ts';
import { toldFilter } from '../../rights/told-acts.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { PageQuery, responses } from '../schemas.ts';

const count = Type.Integer({ minimum: 0 });

/**
 * The openings of the public log's commitments: a person's own, and all of them for the auditors.
 * The entries themselves are public (log.ts); these link them to people.
 */
export function logOpeningRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/me/log',
    {
      config: { roles: ['subject'] },
      schema: {
        tags: ['subject'],
        summary:
          'The public log entries about you, oldest first, each with the salts that open its commitments to ' +
          'you: check that SHA-256(salt ‖ canonical JSON of {ref, value}), base64url, is in the entry',
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: responses({
          200: Type.Object({ items: Type.Array(MyLogEntry), cursor: Type.Optional(Type.String()) }),
        }),
      },
    },
    async (request) => {
      const subject = caller(request).subject!;
      // Entries of acts still under their gag stay out: a page may come short, its cursor goes on.
      const shown = await toldFilter(ctx.db, subject, ctx.now().toISOString());
      const page = await ctx.ledger.openings.ofSubject(subject, {
        cursor: request.query.cursor,
        limit: request.query.limit ?? 50,
      });
      return { ...page, items: page.items.filter((item) => shown(item.entry)) };
    },
  );

  app.get(
    '/v1/log/entries/full',
    {
      config: { roles: ['auditor'] },
      schema: {
        tags: ['log'],
        summary: `Entries [start, end) as stored, also those from before the switch to commitments (at most ${maxOpeningEntries})`,
        querystring: Type.Object({ start: count, end: count }, { additionalProperties: false }),
        response: responses({
          200: Type.Object({
            entries: Type.Array(Type.Object({ index: Type.Integer(), entry: Type.String() })),
          }),
        }),
      },
    },
    async (request) => {
      const { start, end } = checkRange(request.query);
      return { entries: await ctx.ledger.entries(start, end) };
    },
  );

  app.get(
    '/v1/log/openings',
    {
      config: { roles: ['auditor'] },
      schema: {
        tags: ['log'],
        summary: `The openings of the commitments of entries [start, end) (at most ${maxOpeningEntries} entries)`,
        querystring: Type.Object({ start: count, end: count }, { additionalProperties: false }),
        response: responses({ 200: Type.Object({ openings: Type.Array(LogOpening) }) }),
      },
    },
    async (request) => {
      const { start, end } = checkRange(request.query);
      return { openings: await ctx.ledger.openings.inRange(start, end) };
    },
  );
}

function checkRange(range: { start: number; end: number }): { start: number; end: number } {
  if (range.end < range.start) throw new ValidationError('end', 'must not be before start');
  if (range.end - range.start > maxOpeningEntries)
    throw new ValidationError('end', `at most ${maxOpeningEntries} entries at once`);
  return range;
}
