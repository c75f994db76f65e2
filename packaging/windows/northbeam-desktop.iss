; Inno Setup 6 script for the Windows installer of Northbeam Desktop (per-user, no admin rights).
;
; Build the app with PyInstaller first (pyinstaller --noconfirm --clean build.spec), then:
;
;   iscc /DAppVersion=0.1.0 /DSourceDir=..\..\dist\northbeam-desktop /DOutputDir=..\..\dist\installers packaging\windows\northbeam-desktop.iss
;
; Every /D define is optional. Relative paths are taken from this file's folder (packaging\windows),
; not from the folder iscc is run in:
;   SourceDir   the PyInstaller one-folder build     default ..\..\dist\northbeam-desktop
;   OutputDir   where the setup program is written   default ..\..\dist\installers
;   AppVersion  the version shown and used in the file name; default: the ProductVersion that
;               build.spec writes into northbeam-desktop.exe (= northbeam_desktop.__version__),
;               so there is no second copy of the version number to keep in step here.
; Output: <OutputDir>\northbeam-desktop-<AppVersion>-windows-x86_64-setup.exe
;
; User data: the app keeps its settings, upload ledger, logs and cache in
; %LOCALAPPDATA%\northbeam-desktop (platformdirs, see northbeam_desktop/core/appdirs.py). This
; installer never lists that folder, so the uninstaller does NOT delete it: uninstalling and
; reinstalling (or upgrading) keeps the user's settings, ledger and logs. The spreadsheets the user
; opens and saves are wherever the user put them - never in the install folder.

#if Ver < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is needed (x64compatible, WizardStyle=modern)
#endif

#define AppName "Northbeam Desktop"
#define AppPublisher "Northbeam"
#define AppURL "https://www.northbeam.io/"
#define AppExeName "northbeam-desktop.exe"
#define CliExeName "northbeam-desktop-cli.exe"
#define ProgId "NorthbeamDesktop.Spreadsheet"

; A relative path given with /D is relative to this script, like every other path in it.
#define Absolute(str Path) \
  (Copy(Path, 2, 1) == ":" || Copy(Path, 1, 2) == "\\" || Copy(Path, 1, 2) == "//") \
    ? Path : AddBackslash(SourcePath) + Path

#ifndef SourceDir
  #define SourceDir "..\..\dist\northbeam-desktop"
#endif
#define SourceDir RemoveBackslash(Absolute(SourceDir))

#ifndef OutputDir
  #define OutputDir "..\..\dist\installers"
#endif
#define OutputDir Absolute(OutputDir)

#if !FileExists(AddBackslash(SourceDir) + AppExeName) || !FileExists(AddBackslash(SourceDir) + CliExeName)
  #error "northbeam-desktop.exe or northbeam-desktop-cli.exe is not in SourceDir. Run PyInstaller first (pyinstaller --noconfirm --clean build.spec) or pass /DSourceDir=<the dist\northbeam-desktop folder>."
#endif

#ifndef AppVersion
  #define AppVersion Trim(GetStringFileInfo(AddBackslash(SourceDir) + AppExeName, "ProductVersion"))
#endif
#if AppVersion == ""
  #error "No version: northbeam-desktop.exe has no ProductVersion. Pass /DAppVersion=<version>."
#endif

; VersionInfoVersion takes numbers only: "1.2.0rc1" -> "1.2.0".
#define NumericVersion ""
#define VersionCharIndex 1
#define VersionDone 0
#sub TakeVersionChar
  #define VersionChar Copy(AppVersion, VersionCharIndex, 1)
  #if !VersionDone && Pos(VersionChar, "0123456789.") > 0
    #define NumericVersion NumericVersion + VersionChar
  #else
    #define VersionDone 1
  #endif
#endsub
#for {VersionCharIndex = 1; VersionCharIndex <= Len(AppVersion); VersionCharIndex++} TakeVersionChar
#if Copy(NumericVersion, Len(NumericVersion), 1) == "."
  #define NumericVersion Copy(NumericVersion, 1, Len(NumericVersion) - 1)
#endif
#if NumericVersion == ""
  #define NumericVersion "0.0.0"
#endif

[Setup]
; AppId identifies the app for upgrades and the uninstaller: never change it. ("{{" is a literal "{".)
AppId={{8601FD62-FDE6-4B77-A4AC-ED7CB9FB37C8}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppPublisherURL={#AppURL}
AppSupportURL={#AppURL}
VersionInfoVersion={#NumericVersion}
VersionInfoProductName={#AppName}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoDescription={#AppName} Setup

; Per-user install: no UAC prompt, {autopf} is %LOCALAPPDATA%\Programs and HKA is HKCU.
; An administrator can still install for all users from the command line with /ALLUSERS.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes

; The PyInstaller build is 64-bit and Qt 6 needs Windows 10 1809 or newer.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763

; Upgrades and the uninstaller close a running copy first (Restart Manager) instead of failing
; on files in use; the "Run" checkbox on the last page starts the app again.
CloseApplications=yes
CloseApplicationsFilter=*.exe,*.dll,*.pyd
RestartApplications=no

WizardStyle=modern
SetupIconFile=..\..\resources\icon.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
OutputDir={#OutputDir}
OutputBaseFilename=northbeam-desktop-{#AppVersion}-windows-x86_64-setup
Compression=lzma2/max
SolidCompression=yes
; Tells Explorer about the "Open with" entries below.
ChangesAssociations=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole PyInstaller bundle: files the new version no longer ships
; (an old Qt plugin, a renamed module) must not stay behind and be loaded.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Registry]
; "Open with" only: the app is offered for these files but never made their default program.
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Order spreadsheet"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"",0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".xlsx"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".xlsm"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".xls"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".ods"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".csv"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".tsv"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\.xlsx\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.xlsm\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.xls\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.ods\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.csv\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.tsv\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] on purpose: the uninstaller removes what this installer put in {app} and
; nothing else. The user's data folder (%LOCALAPPDATA%\northbeam-desktop: settings, upload ledger,
; logs) is left alone - see the note at the top.
