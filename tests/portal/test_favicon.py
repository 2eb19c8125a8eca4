"""The portal's favicon: a shield drawn for it (static/img/), linked from every page's layout."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from PIL import Image


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/login/", "/opendata/"])
def test_every_page_links_the_favicon(client, url):
    content = client.get(url).content.decode()

    assert 'rel="icon" href="/static/img/favicon.svg" type="image/svg+xml"' in content
    assert 'rel="icon" href="/static/img/favicon.png" type="image/png" sizes="32x32"' in content


def test_the_favicon_files_are_an_svg_and_a_32_pixel_png():
    svg = ET.parse(finders.find("img/favicon.svg")).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert not svg.findall(".//{http://www.w3.org/2000/svg}script")
    with Image.open(finders.find("img/favicon.png")) as png:
        assert (png.format, png.size) == ("PNG", (32, 32))
