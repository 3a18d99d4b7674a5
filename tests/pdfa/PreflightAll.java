// Checks every PDF named on the command line with Apache PDFBox's PDF/A-1b preflight in one JVM
// (Validator_A1b takes one file per JVM, which costs seconds each). Prints one line per file:
// "valid: FILE" or "NOT PDF/A-1b: FILE" followed by the errors; exits 1 when any file fails.
//   java -cp PDFBOX_JARS tests/pdfa/PreflightAll.java FILE...
import java.io.File;
import org.apache.pdfbox.preflight.PreflightDocument;
import org.apache.pdfbox.preflight.ValidationResult;
import org.apache.pdfbox.preflight.parser.PreflightParser;

public class PreflightAll {
    public static void main(String[] args) throws Exception {
        int failed = 0;
        for (String name : args) {
            ValidationResult result;
            PreflightParser parser = new PreflightParser(new File(name));
            try {
                parser.parse();
                try (PreflightDocument document = parser.getPreflightDocument()) {
                    document.validate();
                    result = document.getResult();
                }
            } catch (org.apache.pdfbox.preflight.exception.SyntaxValidationException e) {
                result = e.getResult();
            }
            if (result.isValid()) {
                System.out.println("valid: " + name);
            } else {
                failed++;
                System.out.println("NOT PDF/A-1b: " + name);
                for (ValidationResult.ValidationError error : result.getErrorsList())
                    System.out.println("  " + error.getErrorCode() + " " + error.getDetails());
            }
        }
        System.out.println(failed == 0 ? "all " + args.length + " valid PDF/A-1b" : failed + " of " + args.length + " not PDF/A-1b");
        System.exit(failed == 0 ? 0 : 1);
    }
}
