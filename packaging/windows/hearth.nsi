; Hearth's Windows installer (NSIS, Debian package nsis):
;   makensis -DVERSION=0.1.0 -DEXE=path\hearth.exe -DOUTFILE=hearth-setup.exe hearth.nsi
; Installs for the current user (no administrator rights), with a
; Start-menu entry, the hearth: link handler and an uninstaller.
Unicode true
!include "MUI2.nsh"

Name "Hearth"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Hearth"
InstallDirRegKey HKCU "Software\Hearth" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma
VIProductVersion "0.0.0.0"
VIAddVersionKey "ProductName" "Hearth"
VIAddVersionKey "FileDescription" "Hearth installer"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "The Hearth authors (MIT)"

!define MUI_FINISHPAGE_RUN "$INSTDIR\hearth.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start Hearth"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Hearth"

Section "Hearth"
	SetOutPath "$INSTDIR"
	File "/oname=hearth.exe" "${EXE}"
	File "/oname=LICENSE.txt" "${LICENSE}"
	WriteUninstaller "$INSTDIR\uninstall.exe"
	WriteRegStr HKCU "Software\Hearth" "InstallDir" "$INSTDIR"
	CreateShortCut "$SMPROGRAMS\Hearth.lnk" "$INSTDIR\hearth.exe" "" "$INSTDIR\hearth.exe" 0 SW_SHOWNORMAL "" "Chat, files and video calls with no server"

	; hearth: links open the add-contact dialog (the link is the argument).
	WriteRegStr HKCU "Software\Classes\hearth" "" "URL:Hearth invite link"
	WriteRegStr HKCU "Software\Classes\hearth" "URL Protocol" ""
	WriteRegStr HKCU "Software\Classes\hearth\DefaultIcon" "" "$INSTDIR\hearth.exe,0"
	WriteRegStr HKCU "Software\Classes\hearth\shell\open\command" "" '"$INSTDIR\hearth.exe" "%1"'

	; Apps & features.
	WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "Hearth"
	WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
	WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "The Hearth authors"
	WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\hearth.exe"
	WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
	WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
	WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
	Delete "$INSTDIR\hearth.exe"
	Delete "$INSTDIR\LICENSE.txt"
	Delete "$INSTDIR\uninstall.exe"
	RMDir "$INSTDIR"
	Delete "$SMPROGRAMS\Hearth.lnk"
	DeleteRegKey HKCU "Software\Classes\hearth"
	DeleteRegKey HKCU "${UNINSTKEY}"
	DeleteRegKey HKCU "Software\Hearth"
	; "Start Hearth when I log in" (Settings) writes this value.
	DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "Hearth"
SectionEnd
