import Type, { type Static } from 'typebox';
import { handlePattern, sha256HexPattern, worldIdPattern } from '../util/patterns.ts';
import { StringEnum } from '../util/string-enum.ts';
import { caseStatuses } from './words.ts';

/** A world's report of one of its avatars. */
export const NewReport = Type.Object(
  {
    world: Type.String({ pattern: worldIdPattern }),
    handle: Type.String({ pattern: handlePattern, description: 'the reported avatar' }),
    category: Type.String({ maxLength: 40, description: 'a negative conduct category of the policy' }),
    reporter: Type.String({
      pattern: handlePattern,
      description:
        'the reporting avatar: another avatar bound in the same world (else 422 reporter_not_bound or self_report); counts once per case',
    }),
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    evidence: Type.Array(
      Type.Object(
        {
          sha256: Type.String({ pattern: sha256HexPattern }),
          uri: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
    occurredAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type NewReport = Static<typeof NewReport>;

/** A filed report and the case it joined; `duplicate` when this reporter had already reported it there. */
export const FiledReport = Type.Object({
  reportId: Type.String(),
  caseId: Type.String(),
  duplicate: Type.Boolean(),
});
export type FiledReport = Static<typeof FiledReport>;

/**
 * A report a world filed and where its case stands: what the world already learns by webhook
 * (`case.decided`). Never the description, evidence or reporter, sealed under the subject's key.
 */
export const WorldReport = Type.Object({
  id: Type.String(),
  handle: Type.String({ description: 'the reported avatar' }),
  category: Type.String(),
  occurredAt: Type.String(),
  receivedAt: Type.String(),
  case: Type.Object({
    id: Type.String(),
    status: StringEnum(caseStatuses),
    reportCount: Type.Integer(),
    outcome: Type.Optional(StringEnum(['upheld', 'dismissed'])),
    decidedAt: Type.Optional(Type.String()),
    appeal: Type.Optional(StringEnum(['pending', 'upheld', 'overturned'])),
  }),
});
export type WorldReport = Static<typeof WorldReport>;
