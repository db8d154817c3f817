import { nameReaders, PrincipalName } from '../../components/principal-name.tsx';
import { when, words } from '../../format.ts';
import type { Role } from '../../types.ts';
import { fieldLabel } from '../registrar/attribute-labels.ts';

/**
 * How an entry of the public log reads: its actor and refs in words, never a JSON blob. The
 * entry itself stays as the log holds it (the verifier proves its bytes); this is only its view.
 */

/** Actors that are no principal: the person acting themselves, or mdis itself. */
const namedActors: Record<string, string> = {
  subject: 'the person',
  system: 'mdis',
  operator: 'the operator',
  policy: 'the policy',
};

/** Acts only one role may do (its route admits no other): the actor's role, when not its name. */
const actorRoles: Record<string, string> = {
  'subject.enrolled': 'a registrar',
  'subject.attributes_changed': 'a registrar',
  'activation.recovery_issued': 'a registrar',
  'case.decided': 'a moderator',
  'sanction.imposed': 'a moderator',
  'report.filed': 'a platform',
  'avatar.bound': 'a platform',
  'disclosure.requested': 'an authority',
  'disclosure.read': 'an authority',
  'disclosure.refused': 'an authority',
  'preservation.ordered': 'an authority',
  'preservation.extended': 'an authority',
  'disclosure.approved': 'oversight',
  'disclosure.denied': 'oversight',
  'world.registered': 'an admin',
};

const article = (role: string) => (/^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`);

/** `prn_m615vfqgcvrjjn30` → `prn_m615…`, the whole id on hover. */
function ShortId(props: { id: string }) {
  const short = props.id.length > 12 ? `${props.id.slice(0, 8)}…` : props.id;
  return (
    <code class="short-id" title={props.id}>
      {short}
    </code>
  );
}

/**
 * Who acted, as the viewer may know it: staff read principals by name; other roles see the role
 * the act implies (a registrar enrols), else a short id.
 */
export function EntryActor(props: {
  actor: string;
  kind: string;
  refs?: Record<string, unknown>;
  viewer: Role;
}) {
  const { actor } = props;
  const named = namedActors[actor];
  if (named !== undefined) return <span class="entry-actor">{named}</span>;
  if (!/^prn_/.test(actor)) return <code>{actor}</code>;
  if (nameReaders.includes(props.viewer)) return <PrincipalName id={actor} />;
  // A read of a profile names the reader's role in its refs.
  const readRole = props.kind === 'subject.read' ? props.refs?.role : undefined;
  const role = typeof readRole === 'string' ? article(words(readRole).toLowerCase()) : actorRoles[props.kind];
  return role === undefined ? <ShortId id={actor} /> : <span class="entry-actor">{role}</span>;
}

const refLabels: Record<string, string> = {
  authMethod: 'Client authentication',
  basis: 'Legal basis',
  breakGlass: 'Break-glass',
  dueAt: 'Due',
  kid: 'Key id',
  reviewDueAt: 'Review due',
  withCase: 'With a case',
};

const dates = new Set(['dueAt', 'reviewDueAt', 'at', 'expiresAt']);
const hashLike = /^[A-Za-z0-9+/_=-]{32,}$/;
const idLike = /^[a-z]+_[0-9a-z]{16}$/;

/** `reviewDueAt` → "Review due at": a key without a label of its own, in words. */
const labelOf = (key: string) => {
  const spaced = words(key)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return refLabels[key] ?? spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

function RefValue(props: { name: string; value: unknown; viewer: Role }) {
  const { name, value } = props;
  if (typeof value === 'boolean') return <>{value ? 'yes' : 'no'}</>;
  if (typeof value === 'number') return <>{value}</>;
  if (typeof value !== 'string') return <code>{JSON.stringify(value)}</code>;
  if (dates.has(name)) return <>{when(value)}</>;
  if (name === 'field') return <>{fieldLabel(value)}</>;
  if (name === 'principal' && nameReaders.includes(props.viewer)) return <PrincipalName id={value} />;
  if (hashLike.test(value) || /^prn_/.test(value)) return <ShortId id={value} />;
  if (idLike.test(value)) return <code>{value}</code>;
  return <>{/^[a-z]+(_[a-z]+)+$/.test(value) ? words(value) : value}</>;
}

/**
 * An entry's refs and commitments as labelled fields: nulls skipped, known keys in words, ids in
 * monospace, hashes and commitments shortened (whole on hover).
 */
export function EntryFields(props: {
  refs?: Record<string, unknown>;
  commitments?: Record<string, string>;
  viewer: Role;
}) {
  const refs = Object.entries(props.refs ?? {}).filter(([, value]) => value !== null && value !== undefined);
  const commitments = Object.entries(props.commitments ?? {});
  if (refs.length === 0 && commitments.length === 0) return null;
  return (
    <dl class="entry-fields">
      {refs.map(([name, value]) => (
        <div key={name}>
          <dt>{labelOf(name)}</dt>
          <dd>
            <RefValue name={name} value={value} viewer={props.viewer} />
          </dd>
        </div>
      ))}
      {commitments.map(([name, value]) => (
        <div key={`commitment-${name}`}>
          <dt>{labelOf(name)} (commitment)</dt>
          <dd>
            <ShortId id={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
