"""Photos made small enough to print: a memo carries its photos in its page, PDF and Word copy,
so each is stored once as a modest JPEG rather than as the camera's original."""

import io

PHOTO_MAX_SIDE = 1600  # pixels: 13.5 cm wide at 300 dpi, two photos a row on A4
PHOTO_QUALITY = 82


def downscaled_jpeg(source, *, max_side: int = PHOTO_MAX_SIDE) -> bytes:
    """``source`` (a file or path Pillow opens) as JPEG bytes: turned upright as the camera
    recorded (EXIF orientation), on white where it was transparent, at most ``max_side`` pixels
    a side, its metadata (camera, place) left out."""
    from PIL import Image, ImageOps

    with Image.open(source) as opened:
        image = ImageOps.exif_transpose(opened)
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        elif image.mode != "RGB":
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=PHOTO_QUALITY, optimize=True)
        return out.getvalue()
