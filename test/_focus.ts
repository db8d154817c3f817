// unseenFocus runs in the page (page.evaluate): the test program has no DOM types, so the little it
// uses is declared here.
interface PageElement {
  tagName: string;
  textContent: string | null;
  parentElement: PageElement | null;
  matches(selector: string): boolean;
  getAttribute(name: string): string | null;
  checkVisibility(options?: { visibilityProperty?: boolean }): boolean;
  focus(): void;
  blur(): void;
}
declare const document: {
  activeElement: PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
};
declare function getComputedStyle(
  element: PageElement,
): Record<'boxShadow' | 'outlineStyle' | 'outlineWidth' | 'outlineColor' | 'backgroundColor', string>;

/**
 * In the page: the controls whose keyboard focus cannot be seen, each as `tag "text": why`. A
 * control shows the focus under :focus-visible with an outline of 2 px or more (in a colour other
 * than the background around it, where the outline is drawn) or a shadow. With `every`, each
 * visible enabled link, button and field of the page is focused in turn (a page that had no mouse
 * click matches :focus-visible then, as after a Tab); otherwise only the focused element is judged.
 * Self-contained: page.evaluate sends its source.
 */
export function unseenFocus(every: boolean): string[] {
  const controls =
    'a[href], button:not(:disabled), input:not(:disabled):not([type="hidden"]), select:not(:disabled), textarea:not(:disabled), summary, [tabindex]:not([tabindex="-1"])';
  const why = (element: PageElement): string | undefined => {
    if (!element.matches(':focus-visible')) return 'not :focus-visible';
    const style = getComputedStyle(element);
    const shadow = style.boxShadow !== 'none';
    const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2;
    if (!shadow && !outline) return 'no outline of 2 px or more and no shadow';
    let behind = 'rgb(255, 255, 255)';
    for (let node = element.parentElement; node !== null; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') {
        behind = colour;
        break;
      }
    }
    if (!shadow && style.outlineColor === behind) return `outline ${behind} on a background of that colour`;
    return undefined;
  };
  const targets = every
    ? // Not rendered (say, in a closed <details>): not reachable by Tab either.
      [...document.querySelectorAll(controls)].filter((element) =>
        element.checkVisibility({ visibilityProperty: true }),
      )
    : [document.activeElement].filter(
        (element): element is PageElement => element?.matches(controls) === true,
      );
  const problems: string[] = [];
  for (const element of targets) {
    if (every) element.focus();
    const reason = why(element);
    const text = (element.textContent || element.getAttribute('aria-label') || '').trim().slice(0, 40);
    if (reason !== undefined) problems.push(`${element.tagName.toLowerCase()} "${text}": ${reason}`);
  }
  if (every) document.activeElement?.blur();
  return problems;
}
