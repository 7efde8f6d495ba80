/** A tiny element builder: text is always set as text, never parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string | boolean | ((event: Event) => void)> = {},
  ...children: Array<Node | string | null | undefined | false>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (typeof value === 'function') element.addEventListener(key.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) element.setAttribute(key, '');
    else if (value !== false) element.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/**
 * Names of the invisible separators GS1 and ISO/IEC 15434 codes carry: GS (FNC1, 0x1D) between
 * variable-length element strings, RS and EOT in the `[)>` envelope.
 */
const CONTROL_NAMES: Record<string, string> = { '\u0004': 'EOT', '\u001c': 'FS', '\u001d': 'GS', '\u001e': 'RS' };

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we look for
const CONTROL_CHARACTER = /([\u0000-\u001f\u007f])/;

const controlName = (char: string) =>
  CONTROL_NAMES[char] ?? `0x${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/** Splits a code into data and separators: odd indexes are the control characters. */
const splitCode = (code: string) => code.split(CONTROL_CHARACTER);

/** The code as text, separators spelled out (`<GS>`): what staff see and what tests look for. */
export function visibleCode(code: string): string {
  return splitCode(code)
    .map((part, index) => (index % 2 === 1 ? `<${controlName(part)}>` : part))
    .join('');
}

/** The code as nodes: separators in their own element so they stand out from the data. */
export function codeNodes(code: string): Node[] {
  return splitCode(code)
    .map((part, index) =>
      index % 2 === 1 ? h('span', { class: 'separator' }, `<${controlName(part)}>`) : document.createTextNode(part),
    )
    .filter((node) => node.textContent !== '');
}
