// Apache Jena SHACL, the independent engine of tests/validation/test_jena_parity.py: validates
// each data file against one shapes file in a single JVM and writes each report as N-Triples.
// Usage: java -cp JENA_CLASSPATH JenaShacl.java SHAPES.nt DATA1.nt REPORT1.nt [DATA2 REPORT2]...
import java.io.FileOutputStream;
import java.io.OutputStream;
import org.apache.jena.graph.Graph;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;

public class JenaShacl {
    public static void main(String[] args) throws Exception {
        Shapes shapes = Shapes.parse(RDFDataMgr.loadGraph(args[0]));
        for (int i = 1; i + 1 < args.length; i += 2) {
            Graph data = RDFDataMgr.loadGraph(args[i]);
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            try (OutputStream out = new FileOutputStream(args[i + 1])) {
                RDFDataMgr.write(out, report.getGraph(), Lang.NTRIPLES);
            }
        }
    }
}
