#!/usr/bin/python3
# Cuts a face down to what certificates need, under a family name of its own,
# so that Cairo embeds it in a fraction of the time the whole face takes:
#
#   cjk    every character of GB 2312 with Latin, punctuation and symbols,
#          without subroutines, with the layout features of horizontal
#          simplified Chinese only (no vertical forms, no other regions'
#          forms, which would double the glyphs Cairo reads through for
#          every certificate).  Characters outside it fall back to the
#          whole face.
#   latin  every character of the face and a minus sign, without hinting
#          instructions and without ligatures: the subsets Cairo embeds are
#          a third of the size, and every glyph of the text is one of its
#          characters.
#
#   cut-font.py SOURCE FAMILY OUTPUT NEW-FAMILY cjk|latin
import re
import sys

from fontTools import subset
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont


def gb2312_characters():
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


def add_minus(font):
    """Noto Sans has no MINUS SIGN, which every negative figure on a
    certificate is printed with: a bar as wide as the plus sign's, on its
    axis, as thick as the hyphen."""
    cmap = font.getBestCmap()
    if 0x2212 in cmap or 0x2B not in cmap or 0x2D not in cmap:
        return
    glyf = font['glyf']
    plus = glyf[cmap[0x2B]]
    hyphen = glyf[cmap[0x2D]]
    plus.recalcBounds(glyf)
    hyphen.recalcBounds(glyf)
    middle = (plus.yMin + plus.yMax) / 2
    half = (hyphen.yMax - hyphen.yMin) / 2
    pen = TTGlyphPen(None)
    pen.moveTo((plus.xMin, round(middle - half)))
    pen.lineTo((plus.xMin, round(middle + half)))
    pen.lineTo((plus.xMax, round(middle + half)))
    pen.lineTo((plus.xMax, round(middle - half)))
    pen.closePath()
    order = font.getGlyphOrder() + ['minus']
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    glyf['minus'] = pen.glyph()
    font['hmtx']['minus'] = font['hmtx'][cmap[0x2B]]
    font['maxp'].numGlyphs = len(order)
    for table in font['cmap'].tables:
        if table.isUnicode():
            table.cmap[0x2212] = 'minus'


def main(source, family, output, new_family, kind):
    if kind not in ('cjk', 'latin'):
        sys.exit(f'unknown cut {kind}: cjk or latin')
    if source.endswith(('.ttc', '.otc')):
        faces = [f for f in TTCollection(source).fonts if f['name'].getDebugName(1) == family]
        if not faces:
            sys.exit(f'{source}: no face of the family {family}')
        font = faces[0]
    else:
        font = TTFont(source)
        if font['name'].getDebugName(1) != family:
            sys.exit(f'{source}: not a face of the family {family}')
    options = subset.Options()
    options.name_IDs = ['*']
    options.name_languages = ['*']
    options.notdef_outline = True
    if kind == 'cjk':
        options.layout_features = ['ccmp', 'kern', 'liga', 'calt', 'clig', 'rlig', 'mark', 'mkmk']
        options.desubroutinize = True
        characters = gb2312_characters()
    else:
        options.layout_features = ['ccmp', 'kern', 'mark', 'mkmk']
        options.hinting = False
        add_minus(font)
        characters = set(font.getBestCmap())
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters)
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
    if len(sys.argv) != 6:
        sys.exit('usage: cut-font.py SOURCE FAMILY OUTPUT NEW-FAMILY cjk|latin')
    main(*sys.argv[1:])
