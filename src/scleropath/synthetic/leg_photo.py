"""A made-up photo of skin with a few thin red veins, for the demo's Photos card (no real patient)."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter


def leg_photo(rng: random.Random, size: tuple[int, int] = (480, 640)) -> io.BytesIO:
    """A JPEG of skin-coloured ground crossed by a few branching thin vessels."""
    tone = rng.choice([(233, 196, 170), (214, 168, 135), (176, 124, 90)])
    image = Image.new("RGB", size, tone)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(4, 8)):
        x, y = rng.uniform(0, size[0]), rng.uniform(0, size[1])
        points = [(x, y)]
        for _ in range(rng.randint(4, 9)):
            x += rng.uniform(-40, 40)
            y += rng.uniform(-40, 40)
            points.append((x, y))
        colour = (rng.randint(150, 190), rng.randint(40, 70), rng.randint(60, 110))
        draw.line(points, fill=colour, width=rng.choice([1, 2, 3]))
    out = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(0.8)).save(out, "JPEG", quality=88)
    out.seek(0)
    return out
