import { useEffect, useState } from 'preact/hooks';
import { Link, useLocation } from '../router.tsx';

/** A long menu folds behind a button on a phone; a short one (a machine role's) just wraps. */
const foldsAbove = 4;

/**
 * The role's screens. On a phone a long list folds behind a "Menu" button that names the screen
 * shown; it closes on each navigation and on Escape. Entries never break inside a word.
 */
export function Menu(props: { items: { path: string; nav: string }[]; current: string | undefined }) {
  const [open, setOpen] = useState(false);
  const where = useLocation();
  useEffect(() => setOpen(false), [where.path]);
  const folds = props.items.length > foldsAbove;
  const shown = props.items.find((item) => item.path === props.current);
  return (
    <nav
      aria-label="Screens"
      class={`menu${folds ? ' menu-folds' : ''}${open ? ' menu-open' : ''}`}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          setOpen(false);
          (event.currentTarget.querySelector('.menu-toggle') as HTMLButtonElement | null)?.focus();
        }
      }}
    >
      {folds && (
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={open}
          aria-controls="menu-screens"
          onClick={() => setOpen(!open)}
        >
          Menu{shown === undefined ? '' : `: ${shown.nav}`}
        </button>
      )}
      {/* A choice closes the menu, even of the screen already shown (the path does not change). */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the links inside are the keyboard's way in */}
      <ul id="menu-screens" class="menu-list" onClick={() => setOpen(false)}>
        {props.items.map((item) => (
          <li key={item.path}>
            <Link href={item.path} current={item.path === props.current}>
              {item.nav}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
