// Real file bytes for validation tests: PDFs from pdf-lib, encrypted PDFs made by qpdf, a tiny JPEG made by
// cjpeg, and the fakes officers actually send (a JPEG, a web page or a Word file renamed to .pdf).
import { deflateSync, gunzipSync, crc32 } from 'node:zlib';
import { createHash } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import yazl from 'yazl';
import type { ExtractedFile } from '../../pipelines/types.ts';
import { memoryBody } from '../../pipelines/body.ts';

/** A real PDF with `pages` pages (a line of text on each, as a scan's OCR layer would have). */
export async function makePdf(pages: number, opts: { objectStreams?: boolean } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawText(`page ${i + 1}`, { x: 50, y: 780, size: 12, font });
  return Buffer.from(await doc.save({ useObjectStreams: opts.objectStreams ?? false }));
}

/**
 * Encrypted PDFs made by qpdf 11.3 from a two-page pdf-lib document (gzip + base64 here to stay small):
 *   qpdf --allow-weak-crypto --encrypt secret owner 40 -- two.pdf rc4-40-user.pdf          (R2, user password)
 *   qpdf --allow-weak-crypto --encrypt secret owner 128 --use-aes=n -- two.pdf rc4-128-user.pdf   (R3)
 *   qpdf --encrypt secret owner 256 -- two.pdf aes256-user.pdf                             (R6, AES-256)
 *   qpdf --allow-weak-crypto --encrypt "" owner 128 --use-aes=n --print=none --modify=none -- two.pdf rc4-128-owner.pdf
 *   qpdf --encrypt "" owner 256 --modify=none -- two.pdf aes256-owner.pdf
 *   qpdf --allow-weak-crypto --encrypt "" owner 128 --use-aes=y -- --object-streams=generate two.pdf aes128-owner-objstm.pdf
 *   qpdf --encrypt "" owner 256 -- --object-streams=generate two.pdf aes256-owner-objstm.pdf
 * "user" ones need the password "secret" to open; "owner" ones open without one (permissions only).
 */
const ENCRYPTED = {
  'aes128-owner-objstm': 'H4sIAAAAAAACA4VTbUgUWxhuW9kfg92MPoh+5LmgZpTNzpnPvW1S7LpoWa67Zh8SdGbmnFXb3fHOnrpuxK3gUkofYBBlWpr+' +
    '6AsqqSCoSIzKQgKze39UWCG3rPsVZOQPi86qV4OIYIb3nXmfOc+c53lOdtAfyBOWqFz2zQ9tnzgBuIGlV3NeL+CDKIITQGRv' +
    'QoAvS9ZgwPsQRVErAvLzORw3U0D4xQdjmBK9OkxjgC/G8QitBFCFgA9URSm2WY0iiv3YsEwGXAOk1MROUACF1JIJamMU4x6k' +
    'jfzie/k6Y0/jO9Q288VaIal5uI3F9MDC4d6HvQNp8x8Z9W/6Knz+WR2tPU+6j/p2ncs5YDb8d6xVuNP3oSjXzx8G12cFdlUu' +
    'XbIqt6zLGeOv94Q+ld9aef4KOTngmPMjr17Yl3U5q/7g1dmVLud0Z1fT5fSLex1pbTu7m8vO0lfvnS+6OqrzNtxfVPjnP8Nt' +
    'r7subdk0mLazM5PMKNzhcpxovNZyKP1v76GOmy9L4cDm3b99rGtYcWaDo+jwveUla3L375j2w93M4cKf04d+131v12WdfhXt' +
    'v/Ts+fHF+cqCZbD9RnPnT021g3/scd6aN/duazE8vWzuYI/3XX9DvzvZ2FJ6daQ9MlT+b4vyeHZYPZW8wZQeV2Zcc/ULzX0B' +
    'kCphao53K7bSyoJtOE4B77eMkhocT4FWs0FBuBxO2CIoTPHUNeFNmKK4iWxzEgI15ibwyopCkKaKGIuioXpUwxR1j1siJjKJ' +
    'JkiIIFEyiQeJGlGwKQm6R5MwNBQTQYQUIjOOIMhjXodShrNsBP7/X1bsyYe1wAtlQdfcqqxKBAkyZMtrMiayJiqKKbl1t1uA' +
    'UJIV5BF0hGVBlKAqIsXUWWdoqiExqnJGMhlP7at4rg9hMrFFUftGNsdqENmxxKiqPiu6NRZPpDYQtLFZZVDLZgKNCrgOVAAB' +
    'QHZvAnxRnFgMNXpmQpZFgTDWh6u2Y+Bhcz+o8GoCJLIhI00hhoowUSTJIyMVE0OSRYJJ/vcRjKogbtjJGgrUUYbJ81PbbOhT' +
    'puYEXL+6clwuX8ZfGXW3O+v8I5GnQ0fqd5c2OaaIhc733FexSlBk01obE04VZS47u6AkwH0GqGRGyx8EAAA=' +
    '',
  'aes256-owner': 'H4sIAAAAAAACA7VVz27bNwy++yl0ybGzKIkUBQQB2iYBirVI0a69FD1QFNVmSO3CcYp2j7MX2WPtNox20sRADjstTvzTj6L4' +
    '59P3MUevT8+fwC91cfTX33/+s4AQw7r/vjg+Dsuz71tbXV+uV9dh9/r09NnZfvFMru29bXY7YelHDzxf2je7ChxOTna/y9fy' +
    'ya5D9phvwvK3H18tLJ/LVq7Wn3x7YauxS5UOUj7fmGw9zqlsLRzHbAy9zqgidQpLExIh1ig9VUu9i6XaFFQKSBqmtZhStTFy' +
    'h0RtlNIit8k8Glpv0mVmJkWcZfZycpdwvQnHyLNyFY1QskVhYJhJY6sVNOsskbPNIaZCbaLWRmR95Fxq8qycEs00Z+9Ye69Z' +
    'tM8BaowoEwCtTU0YBRS5dgNMbN4DI2BEj4W55lgyRDEakglhdqueZhTuU4YAGOpocWDjhnGozlkQS5kxtRIbQ+1RfL8k6RVz' +
    'sejW2Gg0E87YvddX63GLq1BxJ24Zx2DDztN7ixkyMkcg6o66H7I4xWGr5JDmjJC1dCVzB/CKWby5YWmmHgsyQOsVqGq3Ha6v' +
    'N+txo+bAilJ0DAl7TkA9t6SU0DMqkuMSWalMSBU66myjcqwNsRNpHzVK8bocbx0JegNT75KSl9/rqIkh12nTofGLiIlHrepV' +
    'zwmFKxbNqI6WpQzJOtCY1KjF0iwOiZClZFLmNKQxGU2/kQjNCkpmt2UokpNaJqhjamW/vYTFZuHmN8mDPFM7OaByPqTy+ma1' +
    'DSksf70c1+FDKHsV4P7740813ArkIUA5CPDKxqU8W3/3s9E/Kd7+fdyd2pjHvtPVG7te32zU9irdqe4h9EFk/N8i02HT5/sJ' +
    '8XY77lZPb7afz77tYi5P13rx1VY7p1e+cfb2fQ7Ll7b6tP0ccvo5Ms4vr7ZOGw8hqyGbce+SkMLyIhy3Ss5EaqW5wCvnVlz5' +
    'oD3NOFtuZuy6J/D7Zu2uEOyxl+rjwVoazZ8TKRdxL0vSnPeKxSXHhSEOjuw1XPicAy0zgXvUNHKEWojFhwb1YdlJAc5fw2xd' +
    'B1jhkiqRlOLKmc6eluJOA+EJ5FR8YZsvjiHXBLFMzdBd6RjTiOhSr9Zx1kjkR94E2rX+5fwnhv7YPLy88/ZdL9SxOI+TFnUK' +
    'uhqKkSvP62yje20aO7pK3SdxzI6Qj5Ksg3vzMQXNFaUIbD5LpGlzgHwE+XhFcdV4Ee+8/VqpuHqqkA+Y7kg6GNUhHy4WbW6D' +
    '6QrzYemzTdVX5jBMn7qYWdK+/fdO9geWfN/YXMRQF/H+JxBixjDDvQ2cpfud1b0Ncnxk4/LYr8EjP9i9PbK1A9t2I5dXuyHl' +
    'TH2xmuuQ7oi/Xm8D3K7fXv5hwf/HvTgNH46HUypH8QfHJoMdQr+E3MeMjNT45L89XGVnK938+LoNtM/gGF1vZbPdIwRU4uLo' +
    '6OzifPEvr5kMTZoHAAA=' +
    '',
  'aes256-user': 'H4sIAAAAAAACA7VVzW4cNwy++yl08TFd/kiUBBgGktgGgiZwkDS5BDlQEpW4cHaD9TpI+jh9kT5Wb0U5a8c24ENP3d3RzlDk' +
    'J5H6Ps7h65OzJ/hLPjj86+8//znAAGHTfj84Ogqr0+87W19dbNZXYXl8evLsdH/zTK/svW2XmbDy0AeeL+2bXYYSjo+X3+q1' +
    'frKrwI75Jqx++/HVwuq57vRy88mnD2w9lqXowZLPt6Y7xznRnYWjFvusI/ZivSg1QCkppWFVSFKLaMZxcK7VJo0qWvKUBiVD' +
    'Aq5QMMUxSs151hZjs9Eal6noIydB4OPbBTfbcFRbsmm5gbQopL6SpFjQSjejRANnam00q00LRgTI1nHOGrtNYY+jOLJat6Ix' +
    'kgKW1JBTlVhT7Dx4SpSY28RisXFPwqxFcLbWc0y1jewpxIbKUEaaKUO0BFJm1IhiykTQRJGmDOKMnhXh6EtgwkQt59J6NKpo' +
    'c6BDifhqZUmqVhDP9dVm3NRVRsGWqfnWuypk1maJ0hQYMkxBM+gkMIThoMO41Q4zw2jRasVU2JeC1AkLcyS0SKVPtsgdqRZY' +
    'Tn67GdfdvLC5lE7CkEVGHDSzHwXQoK5JihCpJzOq77MlVPPz9uLZGGYlNwGtNXHz02I/v1g7JutUGSEjKsUsDcsAHgkz9hht' +
    'zqLaS6+kNZOAFedQ762LiqZZptXRgTkVdM4MLhVRnDw8HXgZdZTsNc5i3SvLTauHQHSjJwrZd5e1qRL2zFwA4PgBlfkhlTfX' +
    '612gsPr1YlyFDyHuVZD248efargRyD1AfADwysaFPtt891jwL8HN9XGJ2ppj3+rqjV1trrfd9ipdVHcP/QA5/W/I8jDps32H' +
    'eLsbt3dPr3efT78tmKuTTT//auvF6ZVPnL59z2H10tafdp8D08+WcXZxuXPaOISuh27HnQslCavzcNRT7ep0m5hcbNGsj4VI' +
    's0hk7lAHV4IMlWKjnnS2PBPWWkrVmLPoqG2hJJoYOpUjdGbMQ+MsTKLR93Dufa5S4+pKHnHOmJiquc/IUuf0FpGnN4YZRwFx' +
    'AYHLnIuNbA0NyBkKuGggPIk+2vaLF9AW7maeo0acvY6UneezpjwV2Lfg/m+CLHl/OftZQP/b3j+8C0fTNaAcQTWZb93Emwmn' +
    '5AqSSal7j3TakxsWaCYT6hMlOfEnU6upEuVC5kUzcKc6pPfiKujZtcyafBPvltxn8SgocQ6DOHNyGblH094nzc4o3iGISb1p' +
    'ePaMKhFMOkrW6B3WYd470+8p8n1r8wBCPoC7T5CUOIUZ7mzoFN3PrO9syPDIVuJjv4qP/HB5emSrD2y7rV5cLh3KafpiPTeB' +
    'blm/2ewC3ty/vfjDgr/gXpyED0cTux9/9exjJufT6FmLty1Q6c07x/F/e7jETtd9++PrLsh+Ba/R1U63u32F0F8kB4eHp+dn' +
    'B/8CvAIg0ZcHAAA=' +
    '',
  'rc4-128-owner': 'H4sIAAAAAAACA9VTy2ocMRC871fo4qMzUreesOwhfkBIjI3zuBgfWuqWs8HMmNkx2Pmc/Eg+K7cQ7drxLuwh5JBDNMwgqtU1' +
    '3V2lg4vj00PzKswOvv/49nNmlFZD/jKbz1V3QTeyUtiQS9V9eLwT1R3RRLfDjVosZtLz+iDsJByNQtNy6I9pEjV3mZkKRhaX' +
    'EIKzOQNTtKjJQ6oulcVzyjCquRgTk4QoRWeNACFREmLRpnpDJMWnttBJYFclaC0YozCY4kupNVBhCKBLdsUBmGgkReO8lBgQ' +
    'IlcKpWWApczaSKbstAuMEV0osVqdQ2ZrKxbtRRfH2MopUIPPgWJj0iDZI6JYV0LUhYPOrf6zgf+i24tx4Psi/227W9lxV/bh' +
    'vp8UqO7tklfqStmNY9zme/3bOU9m2hLYHYIz4SW9Hh5arm4P6Kf3ep01SuN+9uClrIb7sTSelrVY7FLvMLt/xux3mE+Xt1MT' +
    'sns/Uc80sureSX8zfVYGourOmyG8r9TUEEEsIYXCmJO2lYlrNJYqoeWaCGP1wtbkFK1A8UxA5Ktb20UdIgbfymt1dh/V3CBR' +
    'BkDXNOUYk8bQkCBGV9ZWkzYA1nlKJpM4gxZa3HNuu2aMYhvnpybUtqOHUepMqzDTL0t559Cpql4w0ya6ifRbzNs9zPmwh3mE' +
    'PSzAPhbNDjaNtLxdX5I25jd9HRQ8izQMkzJP+/fLr6JCix+rq3lpc4gWHFcQHw1Z0GJt8holcRvt4s8nmiNO+jI+3k3Kb/7Q' +
    'ZrSaaJw2EzIaYHZwcHJ+OvsF11SM4DAFAAA=' +
    '',
  'rc4-128-user': 'H4sIAAAAAAACA9VTu27cMBDs7yvYuHRELsklCRyuiB9AkBg2nEdjuFiSS+cCQzJ0MmDnc/Ij+ax0QfbOju+AK4IUKSJBwmq4' +
    'O1ruDA8ujk8PzaswO/j+49vPmVFaDfnLbD5X3QXd8EpZQS5V9+HxjlV3RBPdDjdqsZhxX9eJsFNwNDJNy6E/ponVPDbwKaZk' +
    'MenqAjFb+bTRpYI+AhqzeC4ZRjW3njVRTdoVYA+1FoCcEEJMiDlUl7ONNnMGnbPJpRWrqUqI3mUGkwyZVhHI5Ggi64wtlFKk' +
    'icSu5ex9NlRNYiZuaKUXA7WRA8qFXdVe6ANSsrZYq4ERdMs2tRzBeetLdMU5a2riFExBCg2c9H821L/Y7cU41PvC/+12t7Lb' +
    'XdmH+35SoLq3y7pSV8ptHOM37+vfznky05bA7RCccV3S6+FBarXcoJ+e63XVyML97MFLXg33YxEeqVosdql3mP0/Y8Yd5tPl' +
    '7SRCdu8n6iuNVXXvuL+ZPisDUXXnaq5r9tH7VrwF9Jg4oE8aCzV07BwkEul1RU4JW+WWRKWUvY66JdbRru2iDp30Jk12H8Vh' +
    'NsaUA7JBh9ESaq4icSgo1hEfaQOinWhqMrE31kGQpJolKjGUtVs/iUrb7TyM3GZahZl+uRR6UV819YIZGedmpd9i6PYwj2EP' +
    'Qwt7WIB9LJodbBppebs+ITLjN30bFDwrNAyTMk/x++VXVkHWj9XVnJyRgxQo1pZdRJ3BMYqvdQMqmNzizxlih5O+jI93k8LN' +
    'H2RGq4nGaTMho02aHRycnJ/OfgEXIynsLQUAAA==' +
    '',
  'rc4-40-user': 'H4sIAAAAAAACA9VTy2ocMRC871foskdnW28Jlj3EDwiJsXEeF+NDS+p2NpgZMzsGO5+TH8ln5RbSu3bsgT2EHHLIDDOIUnep' +
    'u7o0Pz86OdCv4mz+/ce3nzOtQPXly2y5VItzvKaNsoJcqMWHh1tSi0Mc8aa/VqvVjLq2DTSThMOBcFz33RGOpJasvTYuRgRb' +
    '2XJFW2wGwEjoW3Au5tVTSj+opSvZ6WBjNoGqwZI1JgQPjtmT12xs1OiSNcY30yrY4oFL4BRC8645nShY9BEcyKJmCOSjbaFa' +
    'TszJZW8LFAghR48hGKKSuGDSUo/nrCsbZ7Vp3kZglPNt8LWVlIW1SgNNY2AO2Up1GRNYm5LUf9q3v+j2fOjbXaX/tt2Xsdvp' +
    '2Pu7blRGLd6u20ZdKrdzjN/9r34759FMLwRuQnBKbY2v+3vJBXkNPH5X26yBhPvJgxe06e+GKjyStVpNqSfM/p8xhwnzyfpm' +
    'lEEu3o/YNRyaWryj7nr8rByoxZlaZsME7Jx32FzN4gARk62tEGvxjn2KrZImE5JEZqqEQUNETRwstLZ1izpwUtpW2Y9qKYaS' +
    'CYYCBJhMlnhDIHYIHhJmXQw0k3XMrTZfrC4laGQJMo3ESzkI4SelJ93cD8QzUHEGz48K3luvWD1jWtTc7XQvWHB7mA9xDwvW' +
    '7GHR7GNJT7BxwPXN9oKIxG867pV5GlDfj0o/rt+vv5KKsn+kLpfI4KotkVFzJbaQbSbtjHFyISrj6s8R4objrg4Pt6MKuxNE' +
    'o82Iw7hTSINOs/n8+Oxk9gvl4r5nLAUAAA==' +
    '',
  'aes256-owner-objstm': 'H4sIAAAAAAACA4VUfWhWVRxeURu8lYqh5YQ8DaeY6XvOufecc0+tidvegWDte7Ms2/nch+/eu+57NzchaSz8xz7sj4RIRAoi' +
    'KnK2LarNj2hZa5ZQlBaISd8MggKXVrjOO2cbSAT3cs7hec7vd87ze36nuLqich1azxLFx/546XICAQhC2Z4oKQHJVE9sMtm2' +
    'MJMFueXGirLUzKRMZE2jiXIISLqt85ibTbdJgwCUlua+ZLVoMVnguZi1IFnf22lAslzEIh22ODhhMjqXCs9LeYVTJdvr4g6Q' +
    '3GwyLXErwAyDZGVbOjaRG9MiNhVGhdoRHwB+DomyMcAoFzIbR0Z0JJZ+vG6of3pR3y+Lh1e/emhq+ybzUOmZzrdvDSY+zyvY' +
    '0bTyr2cyRwc3tn994bNC+ttNez85eGxLtOSjL+nP0+GBZ7ufP3oqdbC5F51/+eyK1S3nd4wsJ7dsvqf/9M37pmpeWVv4zfho' +
    '8t6Lt/26b+RE/Z8nnwQFL1zaXZZeeHGoq/vwowM1ffWnynpGC478/Vjz8m01XZPZD+PE3UvTPeVPnN559unx3rum9iwoGt/X' +
    'NvDUsjXLBkK/ZOjTPXcMDy5+d3jlofzC1uqxh8t++mF1y30LVq448Vbz9+feL9hxbu9reycOfHH7nRdG39kQvtjw1YONj/Pn' +
    'Jg639DXVvPcdO3L8xsm1v498++OZaVm0bXJN/9TYm4OLl9Qt3J7fcFiun97wgVN6VplZzdk8zcsrZ6paF+vZ2cauuDXVbTIx' +
    'SFaEqqrTZHKk+x2Qqmv0/i2Lh6+W+Wpt6mKR0SLSc5Uj1FUTlEgqTMC4Ryz0iEDGKuxhZigLuFVIyEBxDnOQQhwHjFkJKSHa' +
    'CKMh15ZjRjDTVmkZQCs1FL4IuCcE8ZVB2ufuDFXOmzzwIQsg8z0rPc25JtShVEOGIcGUBJhKjytuJWGBzzj3MMEK+owphrVR' +
    'OceCdc5S1SbqcKbXngMg97UHIRZUaGUcj0LKFKWerx2/FtDcvTsqrwrohmhu0QBKIA04Epj4yBopPUt9bKAfKGmUL5UlPuHE' +
    'w8IgHkjNKPSQQJqxQPo+kZxzpDmyFENNiItE3EbuWCZQzDOGcOEO0eDubi2WUHHsWe0iMKWU8KTV3AQeRNpCToVyx5c2UDgI' +
    'kIGBi8F9SRChBinPhWkEZF5bBte05ZZaY+eqH/xHT14Zq8WMgjl7hemuDveE5GSNjG5TcRgBNOOdZBPYChDA7n8EJDdlbOhY' +
    'M29FbRjGAF2Z17XtNIA7vAJsLfGpZZJT4mPrOTM4XYy0BhHnH26FFKX/z3CpUhkV9XbGgM1kmHs3evYrmXf9qsr8Xfmr8nfL' +
    'Ra9fNyabK4oue7suTYwdf+NkXh5tvAElrmmnbCyiuCcyNoGgzxPFxamqysQ/W0kUlFoFAAA=' +
    '',
} as const;

export type EncryptedSample = keyof typeof ENCRYPTED;
export const PASSWORD_PDFS: EncryptedSample[] = ['rc4-40-user', 'rc4-128-user', 'aes256-user'];
export const OWNER_ONLY_PDFS: EncryptedSample[] = ['rc4-128-owner', 'aes256-owner', 'aes128-owner-objstm', 'aes256-owner-objstm'];
/** Page count of every encrypted sample. */
export const ENCRYPTED_PAGES = 2;

export function encryptedPdf(name: EncryptedSample): Buffer {
  return gunzipSync(Buffer.from(ENCRYPTED[name], 'base64'));
}

/** A download cut short: the first `fraction` of a real PDF (no trailer, no %%EOF). */
export async function truncatedPdf(fraction = 0.6): Promise<Buffer> {
  const whole = await makePdf(3);
  return whole.subarray(0, Math.floor(whole.length * fraction));
}

/** Header and %%EOF present, but the body is noise: what a broken scanner driver writes. */
export function garbledPdf(): Buffer {
  const noise = Buffer.alloc(2048);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) % 251;
  return Buffer.concat([Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'), noise, Buffer.from('\ntrailer\n<<>>\n%%EOF\n')]);
}

/** A structurally fine PDF with no page at all. */
export async function zeroPagePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  return Buffer.from(await doc.save({ useObjectStreams: false, addDefaultPage: false }));
}

/** A 16×12 baseline JPEG written by cjpeg (libjpeg-turbo) from a colour gradient. */
export const TINY_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIfIiEmKzcvJik0KSEiMEEx' +
    'NDk7Pj4+JS5ESUM8SDc9Pjv/2wBDAQoLCw4NDhwQEBw7KCIoOzs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7' +
    'Ozs7Ozs7Ozs7Ozs7Ozv/wAARCAAMABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAABQb/xAAbEAACAgMBAAAAAAAA' +
    'AAAAAAAABAMiBSExof/EABUBAQEAAAAAAAAAAAAAAAAAAAAE/8QAGREAAgMBAAAAAAAAAAAAAAAAAAUCAwQh/9oADAMBAAIR' +
    'AxEAPwCSTwHKDieA5Two004NVHU04NVGhjMmTNrOH//Z',
  'base64',
);
export const TINY_JPEG_SIZE = { width: 16, height: 12 };

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real RGB PNG of the given size (filter 0 scanlines, zlib-compressed IDAT). */
export function makePng(width = 10, height = 7): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, filter 0, no interlace
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set([x * 20, y * 30, 200], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A minimal 1×1 8-bit greyscale uncompressed little-endian TIFF. */
export function makeTiff(): Buffer {
  const entries: Array<[number, number, number, number]> = [
    [256, 3, 1, 1],
    [257, 3, 1, 1],
    [258, 3, 1, 8],
    [259, 3, 1, 1],
    [262, 3, 1, 1],
    [273, 4, 1, 8 + 2 + 8 * 12 + 4],
    [278, 3, 1, 1],
    [279, 4, 1, 1],
  ];
  const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
  ifd.writeUInt16LE(entries.length, 0);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 2 + i * 12;
    ifd.writeUInt16LE(tag, at);
    ifd.writeUInt16LE(type, at + 2);
    ifd.writeUInt32LE(count, at + 4);
    if (type === 3) ifd.writeUInt16LE(value, at + 8);
    else ifd.writeUInt32LE(value, at + 8);
  });
  return Buffer.concat([Buffer.from('49492a0008000000', 'hex'), ifd, Buffer.from([0x80])]);
}

/** The start of an iPhone HEIC photo: an ISO-BMFF ftyp box with the heic brand (enough for any sniffer). */
export function makeHeicHead(): Buffer {
  const ftyp = Buffer.concat([Buffer.from('00000018', 'hex'), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]);
  return Buffer.concat([ftyp, Buffer.alloc(64)]);
}

/** What a portal's "download PDF" link gives when the session expired. */
export const HTML_PAGE = Buffer.from(
  '<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8"><title>เข้าสู่ระบบ</title></head>' +
    '<body><p>กรุณาเข้าสู่ระบบใหม่</p></body></html>\n',
);

/** A minimal but real Word document (.docx: a ZIP with [Content_Types].xml and word/document.xml). */
export async function makeDocx(): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ' +
      'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  ), '[Content_Types].xml');
  zip.addBuffer(Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      '<w:body><w:p><w:r><w:t>สำเนาบัตรประชาชน</w:t></w:r></w:p></w:body></w:document>',
  ), 'word/document.xml');
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Wraps bytes as the parse stage would hand them over. */
export function asExtracted(name: string, content: Buffer, contentType = 'application/octet-stream'): ExtractedFile {
  return {
    name,
    folders: [],
    origin: 'attachment',
    contentType,
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    body: memoryBody(content),
  };
}
