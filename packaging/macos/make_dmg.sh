#!/usr/bin/env bash
# Wrap the macOS app in a compressed, read-only disk image with an /Applications shortcut, so the
# user drags the app onto it to install.
#
#   packaging/macos/make_dmg.sh "dist/Northbeam Desktop.app" "dist/installers/northbeam-desktop-0.1.0-macos-arm64.dmg"
#
# The volume is named "<app name> <version>", the version being CFBundleShortVersionString from
# the app's Info.plist. Needs only what every Mac has (hdiutil, ditto, PlistBuddy); works from any
# folder. Sign and notarise the .app before this, and the .dmg after it (CI does both when it has
# the secrets; see packaging/README.md).
set -euo pipefail

die() {
    printf 'make_dmg.sh: %s\n' "$*" >&2
    exit 1
}

if [[ $# -ne 2 ]]; then
    printf 'usage: %s <path to .app> <output .dmg>\n' "$(basename "$0")" >&2
    exit 2
fi

app_arg=${1%/}
dmg_arg=$2

[[ -n "$app_arg" ]] || die "the path to the .app is empty"
[[ "$app_arg" == *.app ]] || die "not an app bundle (its name must end in .app): $app_arg"
[[ -e "$app_arg" ]] || die "app not found: $app_arg (build it first: pyinstaller --noconfirm --clean build.spec)"
[[ -d "$app_arg" ]] || die "not a folder, so not an app bundle: $app_arg"
[[ "$dmg_arg" == *.dmg ]] || die "the output file name must end in .dmg: $dmg_arg"
command -v hdiutil >/dev/null 2>&1 || die "hdiutil not found: disk images can only be made on macOS"

# Absolute paths, so nothing depends on the folder the script is run from.
app_dir=$(cd "$(dirname "$app_arg")" && pwd)
app_path="$app_dir/$(basename "$app_arg")"
info_plist="$app_path/Contents/Info.plist"
[[ -f "$info_plist" ]] || die "no Contents/Info.plist in $app_path: is it a complete app bundle?"

dmg_parent=$(dirname "$dmg_arg")
mkdir -p "$dmg_parent" || die "cannot create the output folder: $dmg_parent"
dmg_dir=$(cd "$dmg_parent" && pwd)
dmg_path="$dmg_dir/$(basename "$dmg_arg")"

version=""
if [[ -x /usr/libexec/PlistBuddy ]]; then
    version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$info_plist" 2>/dev/null || true)
fi
if [[ -z "$version" ]]; then
    # `defaults` wants the plist's path without the .plist suffix.
    version=$(defaults read "${info_plist%.plist}" CFBundleShortVersionString 2>/dev/null || true)
fi
[[ -n "$version" ]] || die "no CFBundleShortVersionString in $info_plist"

app_name=$(basename "$app_path" .app)
volume_name="$app_name $version"

staging=$(mktemp -d "${TMPDIR:-/tmp}/make_dmg.XXXXXX")
cleanup() {
    rm -rf "$staging"
}
trap cleanup EXIT

# ditto keeps symlinks, extended attributes and the code signature intact.
ditto "$app_path" "$staging/$(basename "$app_path")"
ln -s /Applications "$staging/Applications"

rm -f "$dmg_path"
# hdiutil now and then fails with "Resource busy" on CI machines; trying again is the known fix.
attempt=1
until hdiutil create \
    -volname "$volume_name" \
    -srcfolder "$staging" \
    -fs HFS+ \
    -format UDZO \
    -imagekey zlib-level=9 \
    -ov \
    "$dmg_path"; do
    if ((attempt >= 3)); then
        die "hdiutil create failed $attempt times"
    fi
    attempt=$((attempt + 1))
    printf 'make_dmg.sh: hdiutil create failed, trying again (%d of 3)\n' "$attempt" >&2
    sleep 5
done

hdiutil verify "$dmg_path" >/dev/null || die "the new disk image does not verify: $dmg_path"
printf '%s\n' "$dmg_path"
