import { SubjectProfile } from '../../api/subjects.ts';
import type { AppContext } from '../../context.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { responses } from '../schemas.ts';

export function myProfileRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/me/profile',
    {
      config: { roles: ['subject'] },
      schema: {
        tags: ['subject'],
        summary: 'Your own attributes, decrypted: the current ones and every version since enrolment',
        description:
          'Not a staff read: it is not a `subject.read` entry and does not show in GET /v1/me/access ' +
          '(see docs/rights.md, “See”).',
        response: responses({ 200: SubjectProfile }),
      },
    },
    async (request) => ctx.subjects.get(caller(request).subject!, { history: true }),
  );
}
