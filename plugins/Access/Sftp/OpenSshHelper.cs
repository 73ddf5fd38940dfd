namespace DevPlatform.Plugins.Access.Sftp;

/// <summary>The helper shipped for sshd (a POSIX shell script needing curl, mount and mountpoint) and its systemd timer.</summary>
internal static class OpenSshHelper
{
    public static string Settings(OpenSshSettings s) => $"""
        # DevPlatform SFTP helper settings (rendered). The token file holds Sftp:Token; make it readable by root and
        # {s.KeysCommandUser} only.
        HUB_URL='{s.HubUrl}'
        TOKEN_FILE='{s.TokenFile}'
        STORAGE_ROOT='{s.StorageRoot}'
        CHROOT_ROOT='{s.ChrootRoot}'
        PASSWD_FILE='{s.PasswdFile}'
        GROUP_FILE='{s.GroupFile}'
        GROUP_NAME='{s.GroupName}'
        GROUP_ID='{s.GroupId}'

        """;

    public static string SyncService(OpenSshSettings s) => $"""
        [Unit]
        Description=DevPlatform SFTP accounts, chroots and home mounts
        After=network-online.target remote-fs.target

        [Service]
        Type=oneshot
        ExecStart={s.CommandPath} sync

        """;

    public const string SyncTimer = """
        [Unit]
        Description=Keep DevPlatform SFTP accounts in step every minute

        [Timer]
        OnBootSec=10s
        OnUnitActiveSec=60s

        [Install]
        WantedBy=timers.target

        """;

    /// <summary>
    /// <c>keys USER</c> prints the user's authorized_keys lines (sshd's AuthorizedKeysCommand); <c>sync</c> (root)
    /// writes the account lines (GECOS <c>devplatform-sftp</c>, so lines it did not write are never touched), the
    /// group, the chroot folders, and bind-mounts each home at <c>CHROOT_ROOT/USER/home</c>; it removes all of that for
    /// users the hub no longer lists. A name that already belongs to a local account is skipped.
    /// </summary>
    public static string Script(OpenSshSettings s) => $$"""
        #!/bin/sh
        # DevPlatform SFTP helper for OpenSSH (rendered by `DevPlatform.Platform render sftp`).
        #   devplatform-sftp keys USER   sshd's AuthorizedKeysCommand: USER's public keys from the hub
        #   devplatform-sftp sync        as root: accounts, chroot folders and home bind mounts in step with the hub
        set -eu
        . '{{s.SettingsPath}}'
        fetch() {
            curl -fsS --max-time 10 -H "Authorization: Bearer $(cat "$TOKEN_FILE")" "$HUB_URL/hub/sftp/$1"
        }
        valid_name() {
            case "$1" in ''|-*|*[!a-z0-9-]*) return 1;; esac
        }
        case "${1:-}" in
        keys)
            valid_name "${2:-}" || exit 0
            fetch "authorized-keys/$2"
            ;;
        sync)
            work=$(mktemp -d)
            trap 'rm -rf "$work"' EXIT
            if ! fetch accounts > "$work/accounts"; then
                echo "devplatform-sftp: the hub did not answer; nothing changed" >&2
                exit 1
            fi
            mkdir -p "$CHROOT_ROOT"
            chown root:root "$CHROOT_ROOT"
            chmod 755 "$CHROOT_ROOT"
            touch "$PASSWD_FILE" "$GROUP_FILE"
            grep -v '^[^:]*:[^:]*:[^:]*:[^:]*:devplatform-sftp:' "$PASSWD_FILE" > "$work/passwd" || true
            grep -v "^$GROUP_NAME:" "$GROUP_FILE" > "$work/group" || true
            members=''
            count=0
            while read -r user uid gid home; do
                valid_name "$user" || continue
                case "$uid$gid" in ''|*[!0-9]*) continue;; esac
                case "$home" in homes/*) ;; *) continue;; esac
                if grep -q "^$user:" "$work/passwd"; then
                    echo "devplatform-sftp: '$user' is already a local account; skipped" >&2
                    continue
                fi
                echo "$user:x:$uid:$gid:devplatform-sftp:/home:/usr/sbin/nologin" >> "$work/passwd"
                members="$members${members:+,}$user"
                count=$((count + 1))
                echo "$user" >> "$work/names"
                source="$STORAGE_ROOT/$home"
                if [ ! -d "$source" ]; then
                    mkdir -p "$source"
                    chown "$uid:$gid" "$source"
                    chmod 700 "$source"
                fi
                mkdir -p "$CHROOT_ROOT/$user/home"
                chown root:root "$CHROOT_ROOT/$user"
                chmod 755 "$CHROOT_ROOT/$user"
                mountpoint -q "$CHROOT_ROOT/$user/home" || mount --bind "$source" "$CHROOT_ROOT/$user/home"
            done < "$work/accounts"
            echo "$GROUP_NAME:x:$GROUP_ID:$members" >> "$work/group"
            cat "$work/passwd" > "$PASSWD_FILE"
            cat "$work/group" > "$GROUP_FILE"
            removed=0
            for folder in "$CHROOT_ROOT"/*; do
                [ -d "$folder" ] || continue
                name=${folder##*/}
                if ! grep -qx "$name" "$work/names" 2>/dev/null; then
                    if mountpoint -q "$folder/home"; then umount "$folder/home"; fi
                    rmdir "$folder/home" 2>/dev/null || true
                    rmdir "$folder" 2>/dev/null || true
                    removed=$((removed + 1))
                fi
            done
            echo "devplatform-sftp: $count account(s); $removed removed"
            ;;
        *)
            echo "usage: $0 keys USER | sync" >&2
            exit 2
            ;;
        esac

        """;
}
