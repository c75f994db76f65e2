#!/usr/bin/env bash
# Add Northbeam Desktop to this user's applications menu (no administrator rights), or take it
# out again with --uninstall. The release tarball ships this script inside the app's folder:
#
#   tar -xzf northbeam-desktop-<version>-linux-x86_64.tar.gz -C ~/Applications
#   ~/Applications/northbeam-desktop/install.sh              # menu entry, icon, `northbeam-desktop` command
#   ~/Applications/northbeam-desktop/install.sh --uninstall  # removes those three again
#
# The app runs from the folder it was unpacked to, so keep that folder where it is (or run the
# script again after moving it). Settings, upload history and logs are not touched either way.
set -euo pipefail

die() {
    printf 'install.sh: %s\n' "$*" >&2
    exit 1
}

mode=install
case "${1:-}" in
    "") ;;
    --uninstall) mode=uninstall ;;
    -h | --help)
        sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown option: $1 (use --uninstall, or nothing to install)" ;;
esac

app_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
desktop_file="$data_home/applications/northbeam-desktop.desktop"
icon_root="$data_home/icons/hicolor"
command_link="$HOME/.local/bin/northbeam-desktop"
icon_sizes=(16 24 32 48 64 128 256 512)

refresh_menus() {
    # Desktops notice new entries by themselves; these only make it immediate where they exist.
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database "$data_home/applications" >/dev/null 2>&1 || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache --quiet --ignore-theme-index "$icon_root" >/dev/null 2>&1 || true
    fi
}

if [[ "$mode" == uninstall ]]; then
    rm -f "$desktop_file"
    for size in "${icon_sizes[@]}"; do
        rm -f "$icon_root/${size}x${size}/apps/northbeam-desktop.png"
    done
    if [[ -L "$command_link" ]]; then
        rm -f "$command_link"
    fi
    refresh_menus
    echo "Northbeam Desktop was removed from the applications menu."
    echo "Your settings, upload history and logs are still in $HOME/.config, $HOME/.local/share"
    echo "and $HOME/.local/state (folders named northbeam-desktop); delete them to remove those too."
    exit 0
fi

gui="$app_dir/northbeam-desktop"
cli="$app_dir/northbeam-desktop-cli"
[[ -x "$gui" && -x "$cli" ]] ||
    die "northbeam-desktop is not in $app_dir: run the install.sh that is inside the unpacked app folder"
# The menu entry quotes the path; these characters would need escapes that not every desktop reads.
case "$app_dir" in
    *[\"\`\$\\]* | *$'\n'*)
        die "the app folder's path ($app_dir) contains one of \" \` \$ \\ or a line break: move the folder elsewhere" ;;
esac

for size in "${icon_sizes[@]}"; do
    source_icon="$app_dir/_internal/resources/icon-$size.png"
    if [[ -f "$source_icon" ]]; then
        mkdir -p "$icon_root/${size}x${size}/apps"
        cp "$source_icon" "$icon_root/${size}x${size}/apps/northbeam-desktop.png"
    fi
done

mkdir -p "$(dirname "$desktop_file")"
tmp_file="$desktop_file.tmp.$$"
cat >"$tmp_file" <<DESKTOP
[Desktop Entry]
Type=Application
Version=1.5
Name=Northbeam Desktop
GenericName=Order uploader
Comment=Check order spreadsheets, fix every bad cell and upload the orders to Northbeam
Exec="$gui" %f
TryExec=$gui
Icon=northbeam-desktop
Terminal=false
Categories=Office;Finance;
Keywords=Northbeam;orders;upload;spreadsheet;Shopify;CSV;Excel;
MimeType=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;application/vnd.ms-excel.sheet.macroEnabled.12;application/vnd.ms-excel;application/vnd.oasis.opendocument.spreadsheet;text/csv;text/tab-separated-values;
StartupWMClass=northbeam-desktop
DESKTOP
mv "$tmp_file" "$desktop_file"

mkdir -p "$(dirname "$command_link")"
if [[ -e "$command_link" && ! -L "$command_link" ]]; then
    echo "Note: $command_link exists and is not ours; the command was not linked."
else
    ln -sfn "$cli" "$command_link"
fi

refresh_menus
echo "Northbeam Desktop is in your applications menu (it runs from $app_dir)."
echo "The command northbeam-desktop is in ~/.local/bin for scripts (validate, upload, --self-check)."
