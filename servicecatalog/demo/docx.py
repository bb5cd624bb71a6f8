"""A blank application form as a minimal Word document, from the plain text in ``forms/``.

Residents print blank forms (at home or at a print shop) from a phone, where a
``.txt`` file opens as a wall of characters; Word/WPS open a ``.docx`` as a page. The
three parts below are all a ``.docx`` needs (ECMA-376), so the demo needs no library.
"""

import io
import zipfile
from xml.sax.saxutils import escape

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _paragraph(text: str, *, title: bool) -> str:
    size = '<w:sz w:val="36"/>' if title else '<w:sz w:val="28"/>'
    align = '<w:jc w:val="center"/>' if title else ""
    spacing = '<w:spacing w:after="240" w:line="480" w:lineRule="auto"/>'
    bold = "<w:b/>" if title else ""
    return (
        f"<w:p><w:pPr>{align}{spacing}</w:pPr>"
        f'<w:r><w:rPr>{bold}<w:rFonts w:eastAsia="宋体"/>{size}</w:rPr>'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
    )


def form_docx(text: str) -> bytes:
    """A .docx whose first line is the centred title and each further line a paragraph."""
    lines = text.strip().splitlines()
    body = "".join(_paragraph(line, title=index == 0) for index, line in enumerate(lines) if line.strip())
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
        f'{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/></w:sectPr>'
        "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()
