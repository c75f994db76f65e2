# Sign Windows programs with the certificate in the WINDOWS_CERTIFICATE_PFX secret (base64 of a
# .pfx file) and its password in WINDOWS_CERTIFICATE_PASSWORD, with an RFC 3161 timestamp so the
# signature outlives the certificate. Used by .github/workflows/release.yml, and only when the
# secret exists; the workflow warns that the build is unsigned otherwise.
#
#   ./packaging/windows/sign.ps1 dist\northbeam-desktop\northbeam-desktop.exe, installers\setup.exe
param(
    [Parameter(Mandatory = $true)]
    [string[]] $Files
)
$ErrorActionPreference = "Stop"

if (-not $env:WINDOWS_CERTIFICATE_PFX) {
    Write-Error "WINDOWS_CERTIFICATE_PFX is not set: nothing to sign with."
    exit 1
}

$signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin" -Recurse -Filter signtool.exe |
    Where-Object { $_.FullName -like "*\x64\*" } |
    Sort-Object FullName |
    Select-Object -Last 1
if (-not $signtool) {
    Write-Error "signtool.exe was not found (it comes with the Windows SDK)."
    exit 1
}

$pfx = Join-Path $env:RUNNER_TEMP "signing-certificate.pfx"
[IO.File]::WriteAllBytes($pfx, [Convert]::FromBase64String($env:WINDOWS_CERTIFICATE_PFX))
try {
    foreach ($file in $Files) {
        & $signtool.FullName sign /f $pfx /p $env:WINDOWS_CERTIFICATE_PASSWORD `
            /fd sha256 /tr http://timestamp.digicert.com /td sha256 /d "Northbeam Desktop" $file
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
        & $signtool.FullName verify /pa $file
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    }
}
finally {
    Remove-Item $pfx -ErrorAction SilentlyContinue
}
