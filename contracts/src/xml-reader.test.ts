import { describe, expect, it } from 'vitest';
import { parseXml, XmlError } from './xml-reader.js';

// The receipt parser must never expand entities (XXE): no DTD is read, no external file fetched,
// no entity multiplied. Each attack is refused with a reason, quickly, and nothing is expanded.
const attacks = {
  externalEntity: '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
  externalDtd: '<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:1/evil.dtd"><r>a</r>',
  parameterEntity: '<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]><r/>',
  billionLaughs: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from(
    { length: 9 },
    (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`,
  ).join('')}]><lolz>&lol9;</lolz>`,
  undeclaredReference: '<r>&x;</r>',
  referenceInAttribute: '<r a="&x;"/>',
};

describe('XML reader against entity attacks', () => {
  for (const [name, xml] of Object.entries(attacks)) {
    it(`refuses ${name}`, () => {
      expect(() => parseXml(xml)).toThrowError(XmlError);
    });
  }

  it('reads the five predefined entities and character references, nothing else', () => {
    const root = parseXml('<r a="&quot;&#65;">&lt;&amp;&gt;&apos;&#x4E2D;</r>');
    expect(root.text).toBe("<&>'中");
    expect(root.attributes.a).toBe('"A');
  });
});
