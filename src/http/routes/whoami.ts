import { Whoami } from '../../api/principals.ts';
import { roles } from '../../principals/roles.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { responses } from '../schemas.ts';

/** Any principal: the console asks who a token belongs to before it shows that role's screens. */
export function whoamiRoutes(app: Api): void {
  app.get(
    '/v1/whoami',
    {
      config: { roles },
      schema: {
        tags: ['principals'],
        summary: 'The principal the bearer token belongs to: its id, role, name and scope',
        response: responses({
          200: Whoami,
        }),
      },
    },
    async (request) => {
      const { id, role, name, world, actions, jurisdiction, organisation, subject } = caller(request);
      return { id, role, name, world, actions, jurisdiction, organisation, subject };
    },
  );
}
