import { PolicyView } from '../../api/policy.ts';
import type { AppContext } from '../../context.ts';
import { policyView } from '../../policy/view.ts';
import type { Api } from '../api.ts';
import { responses } from '../schemas.ts';

export function policyRoutes(app: Api, ctx: AppContext): void {
  // One view per instance: the policy in force does not change while it runs.
  const view = policyView(ctx.policy);
  app.get(
    '/v1/policy',
    {
      schema: {
        tags: ['policy'],
        summary: 'The policy in force: conduct categories, actions, sanctions, grades, legal bases…',
        description:
          'Public (no token), rate limited per client address like every public route: these are the rules ' +
          'every subject is scored, sanctioned and disclosed by, and the log records their digest, so anyone ' +
          'may read them before joining a world; they hold no personal data. Each value comes with a `label` ' +
          'to show and a `name` to send (an offence is a category `name`, e.g. `spreading_rumors`).',
        response: responses({ 200: PolicyView }),
      },
    },
    async () => view,
  );
}
