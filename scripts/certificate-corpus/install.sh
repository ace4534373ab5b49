#!/usr/bin/env bash
# What the certificate corpus generator needs (Debian): reportlab, Pillow, DejaVu fonts; and
# Tesseract with its English data, which Recert runs to read pictures.
set -euo pipefail
packages=(python3-reportlab python3-pil fonts-dejavu-core tesseract-ocr tesseract-ocr-eng)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "certificate-corpus: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
