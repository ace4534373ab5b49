#!/usr/bin/env python3
"""Generates Recert's corpus of test certificates (issue 21): the layouts of the common providers
and bodies (NASM and ACE course certificates, NSCA-style events, CPR cards, conference attendance
letters, webinar certificates) as text PDFs, scanned-looking images (slight rotation, noise, low
contrast, a phone photo's perspective) and PDFs of scans, each with the fields expected of it in
NAME.expected.json beside it; and the bad files the reader must refuse (in bad/).

Deterministic (a fixed seed): the same corpus on every machine. Needs reportlab and Pillow
(Debian: python3-reportlab python3-pil, fonts-dejavu-core; scripts/certificate-corpus/install.sh).

    generate.py OUT_DIR [--count-per-layout N]
"""
import io
import json
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen import canvas

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FONT_SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
NAMES = ["Jordan Lee", "Maria Alvarez", "Sam Ortiz", "Priya Nair", "Chris Walker", "Dana Kim",
         "Alex Morgan", "Taylor Brooks", "Jamie Chen", "Robin Patel"]
TITLES = ["Kettlebell Foundations for Coaches", "Corrective Exercise for the Lower Body",
          "Mobility and Flexibility Essentials", "Nutrition Coaching Fundamentals",
          "Youth Strength Training", "Program Design for Older Adults", "Olympic Lifting Technique",
          "Behavior Change Coaching", "Speed and Agility Training", "Pre- and Postnatal Exercise",
          "Resistance Band Training", "Metabolic Conditioning Strategies", "Functional Training Systems",
          "Sports Injury Prevention"]
PROVIDERS = ["Iron Path Education", "Summit Fitness Academy", "MoveWell Institute", "Peak Performance Seminars",
             "Coastal Coaching Co.", "Strong Start Learning", "Kinetic Edu Group", "Northside Training Center"]
CITIES = ["Denver", "Austin", "Chicago", "Portland", "Atlanta", "Phoenix"]
CONFERENCES = ["Coaches Strength Summit", "Performance Training Conference", "Fitness Business Forum",
               "Strength and Conditioning Symposium"]


def date_text(rng, y, m, d, style=None):
    style = style or rng.choice(["long", "daymonth", "us", "iso", "abbr"])
    if style == "long":
        return f"{MONTHS[m - 1]} {d}, {y}"
    if style == "daymonth":
        return f"{d} {MONTHS[m - 1]} {y}"
    if style == "us":
        return f"{m:02d}/{d:02d}/{y}"
    if style == "iso":
        return f"{y}-{m:02d}-{d:02d}"
    suffix = "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    return f"{MONTHS[m - 1][:3]}. {d}{suffix}, {y}"


def random_day(rng):
    return 2026, rng.randint(1, 11), rng.randint(1, 28)


def expected(title, completed, hours, provider, units=(), approval=()):
    y, m, d = completed
    return {
        "title": title,
        "completed_on": f"{y}-{m:02d}-{d:02d}",
        "hours": hours,
        "provider": provider,
        "units": [{"body": b, "amount": a, "unit": u} for b, a, u in units],
        "approval": [{"body": b, "number": n} for b, n in approval],
    }


# Each layout returns (lines, expected); a line is (text, size, style) with style in
# {"b": bold, "": regular, "s": serif}, centered unless the text starts with "<".
def nasm(rng):
    title, provider, name = rng.choice(TITLES), rng.choice(PROVIDERS), rng.choice(NAMES)
    hours = rng.choice([2, 4, 6, 8, 10, 15])
    units = round(hours / 10, 1)
    day = random_day(rng)
    pid, cid = rng.randint(1000, 9999), rng.randint(10000, 99999)
    lines = [
        ("National Academy of Sports Medicine", 26, "b"),
        ("CERTIFICATE OF COMPLETION", 34, "s"),
        ("This certifies that", 16, ""),
        (name, 30, "s"),
        ("has successfully completed", 16, ""),
        (title, 24, "b"),
        (f"on {date_text(rng, *day)}", 16, ""),
        (f"Approved for {units} NASM CEUs ({hours} contact hours)", 16, ""),
        (f"Provider: {provider}", 14, ""),
        (f"NASM Provider ID: {pid}    NASM Course ID: {cid}", 12, ""),
        (f"Certificate ID: 2026-{rng.randint(100000, 999999)}", 10, ""),
    ]
    return lines, expected(title, day, hours, provider, [("NASM", units, "CEU")],
                           [("NASM", str(pid)), ("NASM", str(cid))])


def ace(rng):
    title, provider, name = rng.choice(TITLES), rng.choice(PROVIDERS), rng.choice(NAMES)
    hours = rng.choice([1, 2, 3, 5, 8, 10])
    units = round(hours / 10, 1)
    day = random_day(rng)
    number = f"CEP{rng.randint(10000, 99999)}"
    lines = [
        (provider, 22, "b"),
        ("Certificate of Completion", 34, "s"),
        (name, 30, "s"),
        ("for successfully completing the course", 16, ""),
        (f"\"{title}\"", 24, "b"),
        (f"Date Completed: {date_text(rng, *day, style=rng.choice(['us', 'long', 'iso']))}", 16, ""),
        (f"Course length: {hours} hours", 14, ""),
        (f"This course has been approved by the American Council on Exercise for {units} CEC.", 13, ""),
        (f"ACE Course Number: {number}", 13, ""),
        (f"Presented by: {provider}", 13, ""),
    ]
    return lines, expected(title, day, hours, provider, [("ACE", units, "CEC")], [("ACE", number)])


def nsca_event(rng):
    title = f"{rng.choice(['Regional', 'State', 'Coaches'])} {rng.choice(['Clinic', 'Conference', 'Symposium'])} on {rng.choice(['Strength', 'Speed', 'Power', 'Recovery'])}"
    provider, name = rng.choice(PROVIDERS), rng.choice(NAMES)
    y, m, d = random_day(rng)
    d = min(d, 27)
    hours = rng.choice([6, 8, 12, 14])
    units = round(hours / 10, 1)
    pid = f"P{rng.randint(1000, 9999)}"
    lines = [
        (f"Presented by {provider}", 16, ""),
        ("CERTIFICATE OF ATTENDANCE", 32, "s"),
        (name, 30, "s"),
        ("attended", 16, ""),
        (title, 24, "b"),
        (f"{MONTHS[m - 1]} {d}-{d + 1}, {y}   |   {rng.choice(CITIES)}", 16, ""),
        (f"Total contact hours: {hours}", 14, ""),
        (f"NSCA Approved Provider - Category C: {units} CEU", 14, ""),
        (f"NSCA Provider ID: {pid}", 12, ""),
    ]
    return lines, expected(title, (y, m, d + 1), hours, provider, [("NSCA", units, "CEU")], [("NSCA", pid)])


def cpr_card(rng):
    name, provider = rng.choice(NAMES), rng.choice(PROVIDERS)
    day = random_day(rng)
    y, m, d = day
    if rng.random() < 0.5:
        title = rng.choice(["Heartsaver CPR AED", "BLS Provider", "Heartsaver First Aid CPR AED"])
        lines = [
            ("American Heart Association", 24, "b"),
            (title, 26, "s"),
            (name, 24, "s"),
            ("has successfully completed the cognitive and skills evaluations in accordance", 12, ""),
            ("with the curriculum of the American Heart Association program.", 12, ""),
            (f"Course: {title}", 14, ""),
            (f"Issue Date: {m:02d}/{d:02d}/{y}", 14, ""),
            (f"Recommended Renewal Date: {m:02d}/{y + 2}", 14, ""),
            (f"Training Center: {provider}", 13, ""),
            (f"Instructor ID: {rng.randint(10000000, 99999999)}", 11, ""),
        ]
    else:
        title = rng.choice(["Adult First Aid/CPR/AED", "Adult and Pediatric First Aid/CPR/AED"])
        lines = [
            ("American Red Cross", 24, "b"),
            ("Certificate of Completion", 30, "s"),
            (name, 24, "s"),
            ("has successfully completed the requirements for", 14, ""),
            (title, 22, "b"),
            (f"Date Completed: {date_text(rng, *day, style='us')}", 14, ""),
            (f"Valid for 2 years. Expires {m:02d}/{d:02d}/{y + 2}", 13, ""),
            (f"Training Provider: {provider}", 13, ""),
        ]
    return lines, expected(title, day, None, provider)


def letter_layout(rng):
    name, provider, city = rng.choice(NAMES), rng.choice(PROVIDERS), rng.choice(CITIES)
    title = f"2026 {rng.choice(CONFERENCES)}"
    y, m, d = random_day(rng)
    hours = rng.choice([6, 10, 12, 16])
    units = round(hours / 10, 1)
    body, full, unit = rng.choice([("NSCA", "the NSCA", "CEUs"), ("NASM", "NASM", "CEUs"),
                                   ("ACSM", "the American College of Sports Medicine", "CECs")])
    sent = min(d + 7, 28)
    lines = [
        (f"<{provider}", 18, "b"),
        (f"<{city}, {MONTHS[m - 1]} {sent}, {y}", 12, ""),
        ("<To whom it may concern,", 12, ""),
        (f"<This letter confirms that {name} attended the {title}, hosted by {provider}", 12, ""),
        (f"<in {city} on {date_text(rng, y, m, d, style='long')}, for a total of {hours} contact hours.", 12, ""),
        (f"<The conference was approved by {full} for {units} {unit}.", 12, ""),
        ("<Sincerely,", 12, ""),
        (f"<{rng.choice(NAMES)}, Education Director", 12, ""),
    ]
    unit_name = "CEC" if unit == "CECs" else "CEU"
    return lines, expected(title, (y, m, d), hours, provider, [(body, units, unit_name)])


def webinar(rng):
    title, provider, name = rng.choice(TITLES), rng.choice(PROVIDERS), rng.choice(NAMES)
    day = random_day(rng)
    minutes = rng.choice([60, 90, 120])
    hours = minutes / 60
    ace_units, nasm_units = round(hours / 10, 1), round(hours / 10, 1)
    number = f"CEP{rng.randint(10000, 99999)}"
    duration = f"Duration: {minutes} minutes" if rng.random() < 0.5 else f"Duration: {hours:g} hours"
    lines = [
        (provider, 22, "b"),
        ("Webinar Certificate", 32, "s"),
        (f"Awarded to {name}", 22, "s"),
        ("for attending the webinar", 15, ""),
        (title, 24, "b"),
        (f"Webinar date: {date_text(rng, *day, style=rng.choice(['iso', 'daymonth', 'long']))}", 15, ""),
        (duration, 14, ""),
        (f"Approved by ACE for {ace_units} CECs and by NASM for {nasm_units} CEUs.", 13, ""),
        (f"ACE Course Number: {number}", 12, ""),
    ]
    return lines, expected(title, day, hours, provider,
                           [("ACE", ace_units, "CEC"), ("NASM", nasm_units, "CEU")], [("ACE", number)])


LAYOUTS = [("nasm", nasm), ("ace", ace), ("nsca-event", nsca_event), ("cpr-card", cpr_card),
           ("letter", letter_layout), ("webinar", webinar)]

PAGE_W, PAGE_H = landscape(letter)


def write_pdf(path, lines, encrypt=None, pages=1):
    c = canvas.Canvas(path, pagesize=landscape(letter), encrypt=encrypt)
    c.setTitle("Certificate")
    for _ in range(pages):
        y = PAGE_H - 70
        for text, size, style in lines:
            font = {"b": "Helvetica-Bold", "s": "Times-Roman"}.get(style, "Helvetica")
            c.setFont(font, size)
            if text.startswith("<"):
                c.drawString(60, y, text[1:])
            else:
                c.drawCentredString(PAGE_W / 2, y, text)
            y -= size * 1.55 + 8
        c.showPage()
    c.save()


def render_image(lines, scale=2.0):
    w, h = int(PAGE_W * scale), int(PAGE_H * scale)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    draw.rectangle([20, 20, w - 20, h - 20], outline=90, width=6)
    y = 70 * scale
    for text, size, style in lines:
        font = ImageFont.truetype({"b": FONT_BOLD, "s": FONT_SERIF}.get(style, FONT), int(size * scale))
        if text.startswith("<"):
            draw.text((60 * scale, y), text[1:], font=font, fill=20)
        else:
            tw = draw.textlength(text, font=font)
            draw.text(((w - tw) / 2, y), text, font=font, fill=20)
        y += (size * 1.55 + 8) * scale
    return img


def solve(a, b):
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col:
                f = m[r][col] / m[col][col]
                for k in range(col, n + 1):
                    m[r][k] -= f * m[col][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def perspective(img, rng, amount):
    w, h = img.size
    d = lambda: rng.uniform(0, amount) * min(w, h)  # noqa: E731
    dst = [(d(), d()), (w - d(), d()), (w - d(), h - d()), (d(), h - d())]
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    a, b = [], []
    for (x, y), (u, v) in zip(dst, src):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b.extend([u, v])
    coeffs = solve(a, b)
    return img.transform((w, h), Image.PERSPECTIVE, coeffs, Image.BICUBIC, fillcolor=235)


def distort(img, rng, kind):
    """Scanned or photographed: rotation, noise, low contrast, perspective."""
    if kind in ("rotate", "scan", "photo"):
        img = img.rotate(rng.uniform(-2.5, 2.5), resample=Image.BICUBIC, expand=False, fillcolor=250)
    if kind == "photo":
        img = perspective(img, rng, 0.04)
    if kind in ("lowcontrast", "photo"):
        lo, hi = rng.randint(70, 100), rng.randint(170, 200)
        img = img.point(lambda p: lo + (hi - lo) * p // 255)
    if kind in ("noise", "scan", "photo", "lowcontrast"):
        noise = Image.effect_noise(img.size, rng.randint(18, 30))
        img = Image.blend(img, noise, 0.18)
        img = img.filter(ImageFilter.GaussianBlur(0.6))
    return img


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "target/certificate-corpus"
    per_layout = int(sys.argv[sys.argv.index("--count-per-layout") + 1]) if "--count-per-layout" in sys.argv else 4
    rng = random.Random(21)
    for sub in ("text-pdf", "image", "scan-pdf", "bad"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    distortions = ["rotate", "noise", "lowcontrast", "photo"]
    count = 0
    for name, layout in LAYOUTS:
        for i in range(per_layout):
            lines, exp = layout(rng)
            stem = f"{name}-{i + 1}"
            write_pdf(os.path.join(out, "text-pdf", stem + ".pdf"), lines)
            json.dump(exp, open(os.path.join(out, "text-pdf", stem + ".expected.json"), "w"), indent=1)
            count += 1
            # Every layout as a picture, with one of the distortions in turn.
            lines, exp = layout(rng)
            kind = distortions[(i + LAYOUTS.index((name, layout))) % len(distortions)]
            img = distort(render_image(lines), rng, kind)
            ext = "jpg" if kind == "photo" else "png"
            path = os.path.join(out, "image", f"{stem}-{kind}.{ext}")
            if ext == "jpg":
                img.convert("RGB").save(path, "JPEG", quality=80)
            else:
                img.save(path, "PNG")
            json.dump(exp, open(path.rsplit(".", 1)[0] + ".expected.json", "w"), indent=1)
            count += 1
            if i == 0:
                lines, exp = layout(rng)
                img = distort(render_image(lines, scale=200 / 72), rng, "scan")
                path = os.path.join(out, "scan-pdf", f"{stem}-scan.pdf")
                img.save(path, "PDF", resolution=200)
                json.dump(exp, open(path[:-4] + ".expected.json", "w"), indent=1)
                count += 1
    bad = os.path.join(out, "bad")
    open(os.path.join(bad, "empty.pdf"), "wb").close()
    lines, _ = nasm(rng)
    write_pdf(os.path.join(bad, "encrypted.pdf"), lines, encrypt="secret")
    write_pdf(os.path.join(bad, "pages-2000.pdf"), [("Page of a long manual", 14, "")], pages=2000)
    write_pdf(os.path.join(bad, "grocery-list.pdf"), [("<Grocery list", 18, "b"), ("<milk, eggs, bread", 12, ""),
                                                      ("<Call Sam back about the car", 12, "")])
    Image.new("1", (20000, 10000), 1).save(os.path.join(bad, "huge-200-megapixels.png"))
    buf = io.BytesIO()
    render_image([("Hello", 20, "")], scale=0.5).save(buf, "PNG")
    open(os.path.join(bad, "picture-named.pdf"), "wb").write(buf.getvalue())
    open(os.path.join(bad, "notes.txt"), "w").write("Not a certificate.\n")
    print(f"certificate corpus: {count} certificates and 7 bad files in {out}")


if __name__ == "__main__":
    main()
