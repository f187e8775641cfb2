"""Chinese PDFs with the built-in CID font: the text comes back out of the file."""

import io

from pypdf import PdfReader

from core.pdf import pdf_document


def test_a_chinese_pdf_keeps_its_text():
    data = pdf_document(title="履职登记簿", blocks=[("h", "东村联络站"), ("p", "2026年10月 <接待> & 走访"),
                                                   ("table", [["代表", "次数"], ["张三", 3]]), ("pagebreak", None),
                                                   ("p", "第二页")])
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    for word in ("履职登记簿", "东村联络站", "<接待> & 走访", "张三"):
        assert word in text
