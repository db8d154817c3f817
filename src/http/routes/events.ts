import Type from 'typebox';
import { BatchRejectedError, ConductEvent, maxEventBatch } from '../../conduct/event-service.ts';
import type { AppContext } from '../../context.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { Batch, responses } from '../schemas.ts';

const platform = ['platform'] as const;

const Result = Type.Object({
  index: Type.Integer(),
  status: Type.String({ description: 'accepted, duplicate or rejected' }),
  eventId: Type.Optional(Type.String()),
  caseId: Type.Optional(Type.String({ description: 'the case a negative event filed its report in' })),
  points: Type.Optional(
    Type.Integer({
      description:
        'what the event counted in the score: a positive one 0 beyond the policy’s cap; a negative one of a category counted directly its (negative) points',
    }),
  ),
  error: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  field: Type.Optional(Type.String()),
});

export function eventRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/events',
    {
      config: { roles: platform },
      bodyLimit: 1024 * 1024,
      schema: {
        tags: ['conduct'],
        summary: `A batch of up to ${maxEventBatch} conduct events, answered per item`,
        description:
          'A negative event changes no score: it files a report in the avatar’s open case (opened marked ' +
          'automated), which counts once a moderator upholds it. A positive event counts at once, up to the ' +
          'policy’s cap for its world and period. A negative event of a category the policy counts directly ' +
          '(negativeEvents: "direct") counts at once, as a credit contribution the subject may appeal. Each item is accepted, a duplicate (same world and id), or rejected with its error; the others are ' +
          'kept. With ?atomic=true one rejected item rejects the batch (400 batch_rejected) and nothing is written.',
        querystring: Type.Object({ atomic: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        body: Type.Object({ events: Batch(ConductEvent, maxEventBatch) }, { additionalProperties: false }),
        response: responses({
          200: Type.Object({
            accepted: Type.Integer(),
            duplicates: Type.Integer(),
            rejected: Type.Integer(),
            results: Type.Array(Result),
          }),
        }),
      },
    },
    async (request) => {
      const { results, written } = await ctx.events.ingest(request.body.events, caller(request), {
        atomic: request.query.atomic ?? false,
      });
      if (!written) throw new BatchRejectedError(results);
      const count = (status: string) => results.filter((r) => r.status === status).length;
      return {
        accepted: count('accepted'),
        duplicates: count('duplicate'),
        rejected: count('rejected'),
        results,
      };
    },
  );
}
