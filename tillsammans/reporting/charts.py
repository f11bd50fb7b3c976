"""Charts of the annual report as SVG drawn from templates' data: no JavaScript, and the
same markup prints in the PDF."""

from django.utils.functional import Promise

from .annual import MonthBar

PALETTE = (
    "#1b5e7a", "#c0632a", "#4f7d3a", "#8a4f9e", "#b8912f", "#3f6fb5",
    "#a23b4b", "#2f8f83", "#6b6b6b", "#d17fa8", "#7a6a3f",
)  # fmt: skip


def occupancy_bars(months: list[MonthBar], width: int = 600, height: int = 200) -> dict:
    """Two bars a month: available places (light) and occupied places (dark), to scale."""
    top = max((max(m.available, m.occupied) for m in months), default=0.0) or 1.0
    slot = width / max(len(months), 1)
    bars = []
    for index, month in enumerate(months):
        for offset, value, kind in (
            (0.1, month.available, "available"),
            (0.5, month.occupied, "occupied"),
        ):
            h = height * value / top
            bars.append(
                {
                    "x": round(index * slot + offset * slot, 1),
                    "y": round(height - h, 1),
                    "width": round(0.4 * slot, 1),
                    "height": round(h, 1),
                    "kind": kind,
                    "value": round(value),
                }
            )
    labels = [
        {"x": round(index * slot + slot / 2, 1), "month": month.month}
        for index, month in enumerate(months)
    ]
    return {"width": width, "height": height, "bars": bars, "labels": labels, "top": round(top)}


def stacked_services(
    rows: list[tuple[str, list[tuple[str | Promise, int]]]], width: int = 600, row_height: int = 22
) -> dict:
    """One horizontal bar per partner, split by category; a legend of the categories used."""
    top = max((sum(n for _c, n in parts) for _p, parts in rows), default=0) or 1
    label_width = 150
    scale = (width - label_width - 10) / top
    used: dict[str | Promise, str] = {}
    out_rows = []
    for index, (partner, parts) in enumerate(rows):
        x = float(label_width)
        segments = []
        for position, (category, n) in enumerate(parts):
            if not n:
                continue
            colour = PALETTE[position % len(PALETTE)]
            used.setdefault(category, colour)
            segments.append(
                {
                    "x": round(x, 1),
                    "width": round(n * scale, 1),
                    "colour": colour,
                    "category": category,
                    "n": n,
                }
            )
            x += n * scale
        out_rows.append({"y": index * row_height, "partner": partner, "segments": segments})
    return {
        "width": width,
        "height": max(len(rows), 1) * row_height,
        "rows": out_rows,
        "legend": list(used.items()),
        "label_width": label_width,
        "row_height": row_height,
    }
