import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from './canonical-json.ts';

// RFC 8785, section 3.2.2: the sample input and its canonical form.
test('RFC 8785 sample: numbers, string escapes and literals', () => {
  const input = JSON.parse(
    '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
      '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
      '"literals": [null, true, false]}',
  );
  assert.equal(
    canonicalJson(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
      '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
});

// RFC 8785, section 3.2.3: properties sorted by UTF-16 code units.
test('RFC 8785 sorting example', () => {
  const input = JSON.parse(
    '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",' +
      '"1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}',
  );
  // Read back with a regex: JSON.parse would put the integer-like key "1" first again.
  const keys = [...canonicalJson(input).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) =>
    JSON.parse(`"${m[1]}"`),
  );
  assert.deepEqual(keys, ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
});

test('nested objects are sorted too, undefined members dropped, non-finite numbers refused', () => {
  assert.equal(
    canonicalJson({ b: { d: 1, c: [{ z: 1, y: 2 }] }, a: undefined }),
    '{"b":{"c":[{"y":2,"z":1}],"d":1}}',
  );
  assert.throws(() => canonicalJson({ n: Number.NaN }), TypeError);
});
