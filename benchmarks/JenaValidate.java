// Apache Jena as kgtool validate's peer (benchmarks/jena.py compiles and runs it): parse the
// data files (ontology + data) and the shapes into memory once, run Jena's SHACL engine, then,
// with --checks, each hygiene check (queries/checks/*.rq) through ARQ over data + shapes, as
// kgtool does. Prints one JSON object: seconds of each step and the results, counted.
//
// Run: java -cp CLASSPATH JenaValidate --data A.ttl B.ttl --shapes S.ttl [--checks C.rq ...]

import com.google.gson.Gson;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.GraphUtil;
import org.apache.jena.graph.Node;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QuerySolution;
import org.apache.jena.query.ResultSet;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;
import org.apache.jena.sparql.graph.GraphFactory;

public class JenaValidate {
    private static final String SH = "http://www.w3.org/ns/shacl#";

    public static void main(String[] args) {
        Map<String, List<String>> files = new LinkedHashMap<>();
        String key = null;
        for (String arg : args) {
            if (arg.startsWith("--")) {
                key = arg.substring(2);
                files.put(key, new ArrayList<>());
            } else {
                files.get(key).add(arg);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        long started = System.nanoTime();
        Graph data = GraphFactory.createDefaultGraph();
        for (String path : files.get("data")) {
            RDFDataMgr.read(data, path);
        }
        Graph shapesGraph = GraphFactory.createDefaultGraph();
        for (String path : files.get("shapes")) {
            RDFDataMgr.read(shapesGraph, path);
        }
        out.put("triples", data.size());
        out.put("parse_s", seconds(started));

        long shaclStarted = System.nanoTime();
        ValidationReport report = ShaclValidator.get().validate(Shapes.parse(shapesGraph), data);
        // "severity shape focus" -> results; a blank-node shape is written "" as kgtool does
        Map<String, Integer> results = new TreeMap<>();
        for (ReportEntry entry : report.getEntries()) {
            Node shape = entry.source();
            String name = entry.severity().level().getURI().substring(SH.length()) + " "
                    + (shape.isURI() ? shape.getURI() : "") + " " + entry.focusNode().toString();
            results.merge(name, 1, Integer::sum);
        }
        out.put("shacl_s", seconds(shaclStarted));
        out.put("results", results);

        List<String> checks = files.getOrDefault("checks", List.of());
        if (!checks.isEmpty()) {
            long checksStarted = System.nanoTime();
            GraphUtil.addInto(data, shapesGraph);  // the checks read ontology, data and shapes
            Model model = ModelFactory.createModelForGraph(data);
            Map<String, Integer> rows = new TreeMap<>();
            Map<String, Double> each = new TreeMap<>();
            for (String path : checks) {
                long one = System.nanoTime();
                String name = new File(path).getName().replaceFirst("\\.rq$", "");
                Query query = QueryFactory.read(path);
                try (QueryExecution exec = QueryExecutionFactory.create(query, model)) {
                    ResultSet answer = exec.execSelect();
                    while (answer.hasNext()) {
                        QuerySolution row = answer.next();
                        rows.merge(name + " " + row.get("focus").toString(), 1, Integer::sum);
                    }
                }
                each.put(name, seconds(one));
            }
            out.put("checks_s", seconds(checksStarted));
            out.put("check_s", each);
            out.put("check_rows", rows);
        }
        out.put("total_s", seconds(started));
        System.out.println(new Gson().toJson(out));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
