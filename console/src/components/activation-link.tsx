import { create } from 'qrcode';
import { when } from '../format.ts';

/** What the server answers for a new person: a one-time code, until when it works, and its link. */
export type Activation = { code: string; expiresAt: string; link: string };

/** The quiet zone the QR specification asks for around the symbol, in modules. */
const margin = 4;

/** A QR code of `text` as inline SVG: one path of dark modules, no script or image request. */
export function QrCode(props: { text: string; label: string }) {
  const { modules } = create(props.text, { errorCorrectionLevel: 'M' });
  const side = modules.size + 2 * margin;
  let d = '';
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) d += `M${col + margin} ${row + margin}h1v1h-1z`;
    }
  }
  return (
    <svg
      class="qr"
      role="img"
      aria-label={props.label}
      viewBox={`0 0 ${side} ${side}`}
      shape-rendering="crispEdges"
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect width={side} height={side} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}

/** An activation code as the registrar or admin hands it over: the code, its link and a QR code. */
export function ActivationLink(props: { activation: Activation }) {
  const { code, expiresAt, link } = props.activation;
  return (
    <div class="activation">
      <p>
        Activation code, until {when(expiresAt)}: <code>{code}</code>. Or open this link on the person's
        device: <a href={link}>{link}</a>
      </p>
      <QrCode text={link} label="QR code of the activation link" />
    </div>
  );
}
