import { useState } from 'preact/hooks';
import { get, post } from '../../api.ts';
import { QrCode } from '../../components/activation-link.tsx';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useSubmit } from '../../components/use-submit.ts';
import { when } from '../../format.ts';
import type { CredentialOffer, MyCredentials as Credentials } from '../../types.ts';

const kinds = {
  mdis_identity: 'Identity: name, birth date, nationality, over 13, over 18',
  mdis_standing: 'Standing: one person, not banned (and your grade, if you choose)',
} as const;
type Kind = keyof typeof kinds;

/**
 * The person's credentials: an offer for their wallet (a QR code and an openid-credential-offer
 * link, with the transaction code shown beside it, never in it), and the credentials they hold
 * with their status in mdis's public status lists.
 */
export function MyCredentials() {
  const [chosen, setChosen] = useState<Record<Kind, boolean>>({ mdis_identity: true, mdis_standing: false });
  const [withGrade, setWithGrade] = useState(false);
  const [offer, setOffer] = useState<CredentialOffer>();
  const list = useLoad(() => get<Credentials>('/v1/me/credentials'), []);
  const make = useSubmit(async () => {
    const configurations = (Object.keys(kinds) as Kind[]).filter((k) => chosen[k]);
    setOffer(await post<CredentialOffer>('/v1/me/credentials/offers', { configurations, withGrade }));
  });
  return (
    <>
      <h1>Credentials</h1>
      <p class="muted">
        Put credentials in your wallet and show a world or a service only what it needs (say, that you are
        over 18). It checks them with mdis's public keys without calling mdis, and never learns your digital
        ID.
      </p>
      <form onSubmit={make.onSubmit}>
        <fieldset class="choices">
          <legend>Credentials to offer</legend>
          {(Object.keys(kinds) as Kind[]).map((kind) => (
            <label key={kind}>
              <input
                type="checkbox"
                checked={chosen[kind]}
                onChange={(e) => setChosen({ ...chosen, [kind]: (e.target as HTMLInputElement).checked })}
              />{' '}
              {kinds[kind]}
            </label>
          ))}
          <label>
            <input
              type="checkbox"
              checked={withGrade}
              disabled={!chosen.mdis_standing}
              onChange={(e) => setWithGrade((e.target as HTMLInputElement).checked)}
            />{' '}
            Include my grade in the standing credential
          </label>
        </fieldset>
        <button type="submit" disabled={make.busy || !(chosen.mdis_identity || chosen.mdis_standing)}>
          Make an offer for my wallet
        </button>
      </form>
      <ErrorBox error={make.error} />
      {offer !== undefined && (
        <div class="activation">
          <p>
            Scan this with your wallet, or open the link on your phone, before {when(offer.expiresAt)}. When
            the wallet asks, type the transaction code <code>{offer.txCode}</code>.
          </p>
          <p>
            <a href={offer.offerUri}>Open in my wallet</a>
          </p>
          <QrCode text={offer.offerUri} label="QR code of the credential offer" />
        </div>
      )}
      <h2>My credentials</h2>
      <ErrorBox error={list.error} />
      {list.data !== undefined && (
        <DataTable
          caption="My credentials"
          columns={[
            { label: 'Credential', cell: (c) => kinds[c.type as Kind]?.split(':')[0] ?? c.type },
            { label: 'Issued', cell: (c) => when(c.issuedAt) },
            { label: 'Expires', cell: (c) => when(c.expiresAt) },
            {
              label: 'Status',
              cell: (c) => (c.status === 'revoked' ? `revoked (${c.revokedReason ?? ''})` : c.status),
            },
          ]}
          rows={list.data.credentials}
          rowKey={(c) => c.id}
          empty="You have no credentials yet."
        />
      )}
    </>
  );
}
