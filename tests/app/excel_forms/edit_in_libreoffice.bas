' How tests/app/excel_forms/表样-libreoffice.xlsx was made: LibreOffice 7.4 (Debian 12) opened
' samples/excel-forms/project-table-excel/表样.xlsx, ran this macro (the edit of issue 16's
' done-when, as a user makes it by hand) and saved the workbook as LibreOffice writes .xlsx.
' To remake it: put the Sub into a LibreOffice profile's Standard library (Module1) and run
'   soffice -env:UserInstallation=file:///tmp/profile --headless \
'     'macro:///Standard.Module1.EditForm("file:///…/表样.xlsx","file:///…/表样-libreoffice.xlsx")'
Sub EditForm(inUrl As String, outUrl As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden"
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(inUrl, "_blank", 0, args())
  sheet = doc.Sheets.getByIndex(0)
  ' A 计量单位 column after 三级指标 (column C), as a user inserts it.
  sheet.Columns.insertByIndex(3, 1)
  sheet.getCellRangeByName("D10").String = "计量单位"
  sheet.getCellRangeByName("D11").String = "{{计量单位}}"
  ' Widths: 三级指标 wider, 计量单位 narrow (1/100 mm).
  sheet.Columns.getByIndex(2).Width = 4200
  sheet.Columns.getByIndex(3).Width = 1800
  ' Fonts: the header row in 楷体, the title bigger.
  header = sheet.getCellRangeByName("A10:I10")
  header.CharFontName = "楷体_GB2312"
  header.CharFontNameAsian = "楷体_GB2312"
  header.CharHeight = 12
  header.CharHeightAsian = 12
  title = sheet.getCellRangeByName("A1")
  title.CharHeight = 20
  title.CharHeightAsian = 20
  Dim store(0) As New com.sun.star.beans.PropertyValue
  store(0).Name = "FilterName"
  store(0).Value = "Calc MS Excel 2007 XML"
  doc.storeToURL(outUrl, store())
  doc.close(True)
End Sub
