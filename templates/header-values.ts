// Values that go into mail headers, made safe: one line (a hostile subject or name must not be able to add
// headers), a Message-ID in its brackets, a bare address. Every mail this service writes uses these.

/** Header values must not carry line breaks: control characters and runs of white space become one space. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** "<id>" from an id with or without its brackets; empty when nothing is left. */
export function bracketed(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '').replace(/[\s<>]/g, '');
  return bare ? `<${bare}>` : '';
}

/** An envelope address with nothing that could start a second one or a display name. */
export function bareAddress(address: string): string {
  return oneLine(address).replace(/[<>,;"\s]/g, '');
}
