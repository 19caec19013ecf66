#!/usr/bin/python3
# Cuts a CJK face down to what certificates mostly need (every character of
# GB 2312 with Latin, punctuation and symbols) under a family name of its
# own, without subroutines and with the layout features of horizontal
# simplified Chinese only: Cairo then embeds it in a fraction of the time the
# whole face takes.  Characters outside it fall back to the whole face.
#
#   subset-cjk-font.py SOURCE.ttc "Noto Sans CJK SC" OUTPUT.otf "Calbench Sans CJK"
import re
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont


def characters():
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x250))
    for start, end in ((0x2000, 0x2070), (0x2100, 0x2300), (0x2460, 0x2500),
                       (0x25A0, 0x2700), (0x3000, 0x3040), (0xFF00, 0xFFF0)):
        chars |= set(range(start, end))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars |= {ord(c) for c in bytes((high, low)).decode('gb2312')}
            except UnicodeDecodeError:
                pass
    return chars


def main(source, family, output, new_family):
    if source.endswith(('.ttc', '.otc')):
        faces = [f for f in TTCollection(source).fonts if f['name'].getDebugName(1) == family]
        if not faces:
            sys.exit(f'{source}: no face of the family {family}')
        font = faces[0]
    else:
        font = TTFont(source)
    options = subset.Options()
    # Horizontal text in simplified Chinese: no vertical forms and no other
    # regions' forms ('locl'), which would double the glyphs Cairo reads
    # through for every certificate.
    options.layout_features = ['ccmp', 'kern', 'liga', 'calt', 'clig', 'rlig', 'mark', 'mkmk']
    options.name_IDs = ['*']
    options.name_languages = ['*']
    options.notdef_outline = True
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters())
    subsetter.subset(font)
    postscript = family.replace(' ', '')
    for record in font['name'].names:
        text = record.toUnicode()
        if record.nameID in (1, 3, 4, 16):
            record.string = text.replace(family, new_family)
        elif record.nameID == 6:
            record.string = re.sub(re.escape(postscript), new_family.replace(' ', ''), text, flags=re.IGNORECASE)
    font.save(output)


if __name__ == '__main__':
    if len(sys.argv) != 5:
        sys.exit('usage: subset-cjk-font.py SOURCE FAMILY OUTPUT NEW-FAMILY')
    main(*sys.argv[1:])
