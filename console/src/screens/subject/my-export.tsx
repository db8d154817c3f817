import { getText } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import type { SignedExport } from '../../types.ts';

/**
 * “Download my data”: the person's signed export (GET /v1/me/export), saved as the server sent it,
 * so that the file's `jws` still verifies against mdis's published key.
 */
export function MyExport() {
  const download = useSubmit(async () => {
    const text = await getText('/v1/me/export');
    const { bundle } = JSON.parse(text) as SignedExport;
    save(text, `mdis-export-${bundle.sub}-${bundle.generatedAt.slice(0, 10)}.json`);
  });
  return (
    <section aria-labelledby="my-export-title">
      <h2 id="my-export-title">A copy of my data</h2>
      <p class="muted">
        One file with everything mdis holds about you: your profile and its history, your avatars, cases and
        their evidence, decisions, sanctions, strikes, your score and why, disclosures after their gag, who
        looked at your data, your appeals and the log's record of you. It is signed by mdis, so that anyone
        you give it to can check it came from mdis. The download itself is recorded in the transparency log.
      </p>
      <ErrorBox error={download.error} />
      <button type="button" disabled={download.busy} onClick={() => void download.run()}>
        {download.busy ? 'Preparing your data…' : 'Download my data'}
      </button>
    </section>
  );
}

function save(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has handed the blob to the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
