import { useState } from 'preact/hooks';
import { get, type Page, post, query } from '../../api.ts';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import { ReasonForm } from '../../components/reason-form.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { when } from '../../format.ts';
import type { CorrectionReview, CorrectionSummary } from '../../types.ts';
import { fieldLabel, shownValue } from '../registrar/attribute-labels.ts';

/**
 * The registrars' queue of corrections people proposed. Opening one shows the current and the
 * proposed value: a read of the person's profile, logged with purpose `correction` and shown to
 * the person. Accepting adds the attribute version; refusing needs a reason the person sees.
 */
export function Corrections() {
  const queue = usePaged(
    (cursor) =>
      get<Page<CorrectionSummary>>(`/v1/corrections${query({ status: 'pending', cursor, limit: 20 })}`),
    [],
  );
  const [review, setReview] = useState<CorrectionReview>();
  const open = useSubmit(async (id: string) => {
    setReview(await get<CorrectionReview>(`/v1/corrections/${id}`));
  });
  const decided = () => {
    setReview(undefined);
    queue.reload();
  };
  return (
    <section>
      <h1>Corrections</h1>
      <p class="muted">
        Corrections people proposed of their own attributes, oldest first. Opening one reads the person’s
        profile: it is logged with purpose “correction”, and the person sees it.
      </p>
      <ErrorBox error={queue.error} />
      {queue.data !== undefined && (
        <DataTable
          caption="Pending corrections"
          columns={[
            { label: 'Proposed', cell: (c) => when(c.createdAt) },
            { label: 'Subject', cell: (c) => <code>{c.subject}</code> },
            { label: 'Field', cell: (c) => fieldLabel(c.field) },
            {
              label: '',
              cell: (c) => (
                <button
                  type="button"
                  onClick={() => open.run(c.id)}
                  disabled={open.busy}
                  aria-label={`Review ${fieldLabel(c.field)} of ${c.subject}`}
                >
                  Review (logged)
                </button>
              ),
            },
          ]}
          rows={queue.data.items}
          rowKey={(c) => c.id}
          empty="No correction is waiting."
        />
      )}
      <Pager pager={queue.pager} label="Pending corrections" />
      <ErrorBox error={open.error} />
      {review !== undefined && <Review review={review} onDecided={decided} />}
    </section>
  );
}

function Review(props: { review: CorrectionReview; onDecided: () => void }) {
  const { review } = props;
  const accept = useSubmit(async () => {
    await post(`/v1/corrections/${review.id}/accept`, {});
    props.onDecided();
  });
  return (
    <section class="panel" aria-label="Correction under review">
      <h2>
        {fieldLabel(review.field)} of <code>{review.subject}</code>
      </h2>
      <dl class="facts">
        <dt>Recorded now</dt>
        <dd>{shownValue(review.field, review.current)}</dd>
        <dt>Proposed</dt>
        <dd>{shownValue(review.field, review.proposed)}</dd>
        <dt>The person’s reason</dt>
        <dd>{review.reason}</dd>
        <dt>Versions</dt>
        <dd>
          proposed against version {review.baseVersion}, now {review.currentVersion}
          {review.baseVersion === review.currentVersion ? '' : ' (changed since)'}
        </dd>
      </dl>
      <ErrorBox error={accept.error} />
      <button type="button" class="primary" onClick={() => accept.run()} disabled={accept.busy}>
        Accept
      </button>{' '}
      <ReasonForm
        open={{ text: 'Refuse…' }}
        field={{
          label: 'Why it is refused (the person sees this)',
          name: 'reason',
          maxLength: 2000,
          lines: 3,
        }}
        submit={{ text: 'Refuse the correction' }}
        layout="inline"
        send={async (reason) => {
          await post(`/v1/corrections/${review.id}/refuse`, { reason });
          props.onDecided();
        }}
      />
    </section>
  );
}
