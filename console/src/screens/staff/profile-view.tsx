import { type ComponentChildren, Fragment } from 'preact';
import { DataTable } from '../../components/data-table.tsx';
import { when } from '../../format.ts';
import {
  type AttributeGroup,
  type AttributeVersion,
  attributeGroups,
  type SubjectProfile,
} from '../../types.ts';
import { fieldLabel, groupLabels, leaves, shownValue } from '../registrar/attribute-labels.ts';

const kinds: Record<string, string> = {
  person: 'person',
  organisation: 'organisation',
  agency: 'government agency',
};

/** A subject's decrypted profile: each group's fields in words; with history, what each version changed. */
export function ProfileView(props: { profile: SubjectProfile; me: string }) {
  const { profile } = props;
  return (
    <>
      <p>
        <code class="digital-id">{profile.id}</code> · {kinds[profile.kind] ?? profile.kind} · enrolled{' '}
        {when(profile.createdAt)} · changed {when(profile.updatedAt)}
      </p>
      {attributeGroups.map((group) => (
        <AttributeGroupView
          key={group}
          group={group}
          value={profile[group]}
          version={profile.versions[group]}
        />
      ))}
      {profile.history !== undefined && (
        <AttributeHistory
          versions={profile.history}
          by={(v) => (v.createdBy === props.me ? 'you' : <code>{v.createdBy}</code>)}
        />
      )}
    </>
  );
}

/**
 * One group's fields in words. `action`, if given, follows the last line of each top-level field
 * (a document's number, type and country are one field): the person's own screen puts its
 * correction there.
 */
export function AttributeGroupView(props: {
  group: AttributeGroup;
  value: Record<string, unknown>;
  version: number;
  action?: (key: string, value: unknown) => ComponentChildren;
}) {
  const entries = leaves(props.group, props.value);
  const topOf = (path: string) => path.split('.')[1]!;
  const lastOf = (index: number) =>
    index === entries.length - 1 || topOf(entries[index + 1]![0]) !== topOf(entries[index]![0]);
  return (
    <>
      <h2>
        {groupLabels[props.group]} <span class="muted">(version {props.version})</span>
      </h2>
      {entries.length === 0 ? (
        <p class="empty">Nothing recorded.</p>
      ) : (
        <dl class="facts">
          {entries.map(([path, value], index) => (
            <Fragment key={path}>
              <dt>{fieldLabel(path)}</dt>
              <dd>
                {shownValue(path, value)}
                {props.action !== undefined && lastOf(index) && (
                  <> {props.action(topOf(path), props.value[topOf(path)])}</>
                )}
              </dd>
            </Fragment>
          ))}
        </dl>
      )}
    </>
  );
}

/** What a version changed against the version before it of the same group, field by field. */
function changes(version: AttributeVersion, before: AttributeVersion | undefined): string[] {
  const now = new Map(leaves(version.group, version.value));
  if (before === undefined) {
    const first = [...now].map(([path, value]) => `${fieldLabel(path)}: ${shownValue(path, value)}`);
    return first.length === 0 ? ['nothing recorded'] : first;
  }
  const then = new Map(leaves(version.group, before.value));
  const out: string[] = [];
  for (const path of new Set([...then.keys(), ...now.keys()])) {
    const [a, b] = [then.get(path), now.get(path)];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (b === undefined) out.push(`${fieldLabel(path)}: removed (was ${shownValue(path, a)})`);
    else if (a === undefined) out.push(`${fieldLabel(path)}: added ${shownValue(path, b)}`);
    else out.push(`${fieldLabel(path)}: ${shownValue(path, a)} → ${shownValue(path, b)}`);
  }
  return out.length === 0 ? ['no field changed'] : out;
}

/** Every version, newest first, as what it changed; `by` says who added one, as the reader may know it. */
export function AttributeHistory(props: {
  versions: AttributeVersion[];
  by: (version: AttributeVersion) => ComponentChildren;
  caption?: string;
}) {
  const caption = props.caption ?? 'Attribute history';
  const find = (group: string, version: number) =>
    props.versions.find((v) => v.group === group && v.version === version);
  // Newest first: the last change is what a registrar usually looks for.
  const rows = [...props.versions].sort(
    (a, b) => b.createdAt.localeCompare(a.createdAt) || b.version - a.version,
  );
  return (
    <>
      <h2>{caption}</h2>
      <DataTable
        caption={caption}
        columns={[
          { label: 'Added', cell: (v) => when(v.createdAt) },
          { label: 'Attributes', cell: (v) => groupLabels[v.group] },
          { label: 'Version', cell: (v) => v.version, numeric: true },
          { label: 'By', cell: props.by },
          {
            label: 'What changed',
            cell: (v) => (
              <ul class="changes">
                {changes(v, find(v.group, v.version - 1)).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            ),
          },
        ]}
        rows={rows}
        rowKey={(v) => `${v.group}-${v.version}`}
        empty="No versions."
      />
    </>
  );
}
