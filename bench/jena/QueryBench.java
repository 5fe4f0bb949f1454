// Jena ARQ side of bench/bench_queries.py: load an N-Quads file once into in-memory datasets, then
// run each query file several times in the same JVM and print one JSON line per query.
//
// Why a harness and not `arq.sparql --repeat`: that command reloads nothing between repeats but
// prints every result set, and it cannot give the query a default graph made of chosen named
// graphs. Here the default graph is built the way bizarch builds it: the union of the scenario
// graph and the ontology graph ("scenario" queries), the scenario graph alone ("model" queries,
// whose header says `reads: [scenario]`) or of every graph ("all" queries), copied into
// the default graph of a second dataset so that ARQ answers from its own indexes.
//
// Arguments: DATA.nq MANIFEST.tsv WARMUP RUNS BUDGET_S TIMEOUT_S GRAPH[,GRAPH...]
// Manifest lines: name <TAB> scenario|model|all <TAB> path of the query file.
// The first GRAPH is the scenario graph.
// Every run parses the query text and consumes every row (every binding of every row).

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ResultSet;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DatasetGraphFactory;
import org.apache.jena.sparql.core.Var;
import org.apache.jena.sparql.engine.binding.Binding;
import org.apache.jena.system.Txn;

public class QueryBench {

    static DatasetGraph load(String data, String[] defaultGraphs) {
        DatasetGraph dsg = DatasetGraphFactory.createTxnMem();
        Txn.executeWrite(dsg, () -> {
            RDFDataMgr.read(dsg, data);
            Graph target = dsg.getDefaultGraph();
            List<Triple> copy = new ArrayList<>();
            if (defaultGraphs == null) {
                dsg.find(Node.ANY, Node.ANY, Node.ANY, Node.ANY).forEachRemaining(q -> copy.add(q.asTriple()));
            } else {
                for (String g : defaultGraphs) {
                    dsg.getGraph(NodeFactory.createURI(g)).find().forEachRemaining(copy::add);
                }
            }
            copy.forEach(target::add);
        });
        return dsg;
    }

    static long runOnce(String text, Dataset ds, long timeoutMs) {
        Query query = QueryFactory.create(text);
        long rows = 0;
        try (QueryExecution qe = QueryExecutionFactory.create(query, ds)) {
            qe.setTimeout(timeoutMs);
            if (query.isSelectType()) {
                ResultSet rs = qe.execSelect();
                List<Var> vars = new ArrayList<>();
                for (String v : rs.getResultVars()) {
                    vars.add(Var.alloc(v));
                }
                while (rs.hasNext()) {
                    Binding b = rs.nextBinding();
                    for (Var v : vars) {
                        b.get(v);
                    }
                    rows++;
                }
            } else if (query.isAskType()) {
                rows = qe.execAsk() ? 1 : 0;
            } else {
                Iterator<Triple> it = qe.execConstructTriples();
                while (it.hasNext()) {
                    it.next();
                    rows++;
                }
            }
        }
        return rows;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
    }

    public static void main(String[] args) throws Exception {
        String data = args[0];
        List<String> manifest = Files.readAllLines(Paths.get(args[1]), StandardCharsets.UTF_8);
        int warmup = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        double budget = Double.parseDouble(args[4]);
        long timeoutMs = (long) (Double.parseDouble(args[5]) * 1000);
        String[] scenarioGraphs = args[6].split(",");
        boolean needAll = manifest.stream().anyMatch(l -> l.split("\t")[1].equals("all"));
        boolean needModel = manifest.stream().anyMatch(l -> l.split("\t")[1].equals("model"));

        long t0 = System.nanoTime();
        Dataset scenario = DatasetFactory.wrap(load(data, scenarioGraphs));
        Dataset all = needAll ? DatasetFactory.wrap(load(data, null)) : null;
        Dataset model = needModel ? DatasetFactory.wrap(load(data, new String[] {scenarioGraphs[0]})) : null;
        double loadS = (System.nanoTime() - t0) / 1e9;
        System.out.println("{\"setup_s\": " + loadS + "}");

        for (String line : manifest) {
            String[] f = line.split("\t");
            String name = f[0];
            Dataset ds = f[1].equals("all") ? all : f[1].equals("model") ? model : scenario;
            String text = new String(Files.readAllBytes(Paths.get(f[2])), StandardCharsets.UTF_8);
            StringBuilder out = new StringBuilder("{\"name\": " + quote(name));
            try {
                long rows = -1;
                double slowest = 0;
                for (int i = 0; i < warmup && slowest <= budget / 2; i++) {
                    long s = System.nanoTime();
                    rows = runOnce(text, ds, timeoutMs);
                    slowest = Math.max(slowest, (System.nanoTime() - s) / 1e9);
                }
                int n = slowest > 0 ? (int) Math.max(1, Math.min(runs, budget / slowest)) : runs;
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    long s = System.nanoTime();
                    rows = runOnce(text, ds, timeoutMs);
                    times.add((System.nanoTime() - s) / 1e6);
                }
                out.append(", \"rows\": ").append(rows).append(", \"ms\": ").append(times);
            } catch (Exception e) {
                out.append(", \"error\": ").append(quote(e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
            System.out.println(out.append("}"));
            System.out.flush();
        }
    }
}
