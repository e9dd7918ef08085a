"""QR codes as inline SVG (segno)."""
import io

import segno


def qr_svg(data: str, *, scale: int = 4) -> str:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, border=2)
    return buffer.getvalue().decode()
