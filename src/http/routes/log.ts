import Type from 'typebox';
import type { AppContext } from '../../context.ts';
import { CheckpointNotFoundError, ValidationError } from '../../errors.ts';
import type { Api } from '../api.ts';
import { responses } from '../schemas.ts';

const maxEntries = 1000;
const count = Type.Integer({ minimum: 0 });
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** Proof requests beyond the tree are the caller's mistake (400), not a server failure. */
function inTree<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof RangeError) throw new ValidationError('size', error.message);
    throw error;
  }
}

/** A text answer, described as such in the OpenAPI document (not as a JSON string). */
const plainText = { content: { 'text/plain; charset=utf-8': { schema: Type.String() } } };

export function logRoutes(app: Api, ctx: AppContext): void {
  logCheckpoint(app, ctx);
  logKey(app, ctx);
  logEntries(app, ctx);
  inclusionProof(app, ctx);
  consistencyProof(app, ctx);
  logKeys(app, ctx);
}

function logCheckpoint(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/log/checkpoint',
    {
      schema: {
        tags: ['log'],
        summary:
          'The latest signed checkpoint (C2SP tlog-checkpoint signed note, Ed25519), as text; with `covering`, the first one that covers that entry (how a key rotation there was signed)',
        querystring: Type.Object({ covering: Type.Optional(count) }, { additionalProperties: false }),
        response: responses({ 200: plainText }),
      },
    },
    async (request, reply) => {
      const { covering } = request.query;
      if (covering !== undefined) {
        const note = await ctx.ledger.checkpointCovering(covering);
        if (note === undefined) throw new CheckpointNotFoundError(covering);
        return reply.type('text/plain; charset=utf-8').send(note);
      }
      const checkpoint = (await ctx.ledger.latestCheckpoint()) ?? (await ctx.ledger.checkpoint());
      return reply.type('text/plain; charset=utf-8').send(checkpoint.note);
    },
  );
}

function logKey(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/log/key',
    {
      schema: {
        tags: ['log'],
        summary:
          'The verifier key of the checkpoints in force, as text: <origin>+<key id>+<base64 Ed25519 key>',
        description:
          'One line, as `mdis log key` prints it (the C2SP note verifier key format; its origin is the part ' +
          'before the first `+`), so that either can be given to `mdis log verify --key`. Every key: GET /v1/log/keys.',
        response: { 200: plainText },
      },
    },
    async (_request, reply) => {
      const keys = await ctx.ledger.keys();
      return reply.type('text/plain; charset=utf-8').send(`${keys.at(-1)!.verifierKey}\n`);
    },
  );
}

function logKeys(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/log/keys',
    {
      schema: {
        tags: ['log'],
        summary:
          'Every checkpoint key, oldest first: each signs from `fromSize` entries on, announced by the `log.key_rotated` entry before',
        response: {
          200: Type.Object({
            keys: Type.Array(
              Type.Object({
                verifierKey: Type.String(),
                keyId: Type.String(),
                fromSize: Type.Integer(),
                createdAt: Type.String(),
                retiredAt: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ keys: [...(await ctx.ledger.keys())] }),
  );
}

function logEntries(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/log/entries',
    {
      // Public: from format 2 on, entries name people only through commitments (log-openings.ts).
      schema: {
        tags: ['log'],
        summary:
          `Entries [start, end) as stored (at most ${maxEntries}); public. Entries from before the log ` +
          'switched to commitments name people in the clear: of those, only the leaf hash (auditors read ' +
          'them at /v1/log/entries/full)',
        querystring: Type.Object({ start: count, end: count }, { additionalProperties: false }),
        response: responses({
          200: Type.Object({
            entries: Type.Array(
              Type.Union([
                Type.Object({ index: Type.Integer(), entry: Type.String() }),
                Type.Object({ index: Type.Integer(), leafHash: Type.String() }),
              ]),
            ),
          }),
        }),
      },
    },
    async (request) => {
      const { start, end } = request.query;
      if (end < start) throw new ValidationError('end', 'must not be before start');
      if (end - start > maxEntries) throw new ValidationError('end', `at most ${maxEntries} entries at once`);
      return { entries: await ctx.ledger.publicEntries(start, end) };
    },
  );
}

function inclusionProof(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/log/proof/inclusion',
    {
      schema: {
        tags: ['log'],
        summary: 'RFC 9162 inclusion proof of entry `index` in the tree of `size` entries',
        querystring: Type.Object({ index: count, size: count }, { additionalProperties: false }),
        response: responses({
          200: Type.Object({
            index: Type.Integer(),
            size: Type.Integer(),
            leafHash: Type.String(),
            root: Type.String(),
            hashes: Type.Array(Type.String()),
          }),
        }),
      },
    },
    async (request) => {
      const { index, size } = request.query;
      await ctx.ledger.sync();
      const tree = ctx.ledger.tree;
      const hashes = inTree(() => tree.inclusionProof(index, size));
      return {
        index,
        size,
        leafHash: b64(tree.leaf(index)),
        root: b64(tree.root(size)),
        hashes: hashes.map(b64),
      };
    },
  );
}

function consistencyProof(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/log/proof/consistency',
    {
      schema: {
        tags: ['log'],
        summary: 'RFC 9162 consistency proof that the tree of `from` entries is a prefix of that of `to`',
        querystring: Type.Object({ from: count, to: count }, { additionalProperties: false }),
        response: responses({
          200: Type.Object({
            from: Type.Integer(),
            to: Type.Integer(),
            fromRoot: Type.String(),
            toRoot: Type.String(),
            hashes: Type.Array(Type.String()),
          }),
        }),
      },
    },
    async (request) => {
      const { from, to } = request.query;
      await ctx.ledger.sync();
      const tree = ctx.ledger.tree;
      const hashes = inTree(() => tree.consistencyProof(from, to));
      return {
        from,
        to,
        fromRoot: b64(tree.root(from)),
        toRoot: b64(tree.root(to)),
        hashes: hashes.map(b64),
      };
    },
  );
}
